import { ASYNC_LIMITS } from './constants';
import { InvalidInvokeConfigError } from './errors';
import type { EventInvokeConfig, ResolvedInvokeConfig } from './types';

const KNOWN = new Set([
  'maximum_retry_attempts',
  'maximum_event_age_in_seconds',
  'destination_config',
  'function_name',
  'qualifier',
]);

function integerIn(
  name: string,
  value: number | undefined,
  range: { min: number; max: number; default: number },
) {
  if (value === undefined) return range.default;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidInvokeConfigError(
      `${name} must be an integer from ${range.min} to ${range.max}, got ${value}`,
    );
  }
  return value;
}

function destination(name: string, value: { destination?: unknown } | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value.destination !== 'string' || value.destination === '') {
    throw new InvalidInvokeConfigError(`destination_config.${name}.destination must be a queue ARN or URL`);
  }
  return value.destination;
}

/**
 * Validates the settings of an `aws_lambda_function_event_invoke_config` and applies AWS's defaults.
 *
 * @example
 * ```ts
 * resolveInvokeConfig({ maximum_retry_attempts: 0 }).maximumEventAgeInSeconds; // 21600
 * ```
 * @throws {InvalidInvokeConfigError} naming the setting that is unknown or out of range.
 */
export function resolveInvokeConfig(config: EventInvokeConfig = {}): ResolvedInvokeConfig {
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) throw new InvalidInvokeConfigError(`unknown event invoke config setting '${key}'`);
  }
  if (config.qualifier !== undefined && config.qualifier !== '$LATEST') {
    throw new InvalidInvokeConfigError(`qualifier '${config.qualifier}': only $LATEST is emulated`);
  }
  return {
    maximumRetryAttempts: integerIn(
      'maximum_retry_attempts',
      config.maximum_retry_attempts,
      ASYNC_LIMITS.maximumRetryAttempts,
    ),
    maximumEventAgeInSeconds: integerIn(
      'maximum_event_age_in_seconds',
      config.maximum_event_age_in_seconds,
      ASYNC_LIMITS.maximumEventAgeInSeconds,
    ),
    onFailureDestination: destination('on_failure', config.destination_config?.on_failure),
    onSuccessDestination: destination('on_success', config.destination_config?.on_success),
  };
}
