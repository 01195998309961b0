import { LIMITS, REPORT_BATCH_ITEM_FAILURES } from './constants';
import { InvalidSettingsError } from './errors';
import type { EventSourceMappingSettings, FilterPattern, ResolvedSettings, StartingPosition } from './types';

const KNOWN_KEYS = new Set<string>([
  'batch_size',
  'maximum_batching_window_in_seconds',
  'starting_position',
  'starting_position_timestamp',
  'maximum_retry_attempts',
  'maximum_record_age_in_seconds',
  'bisect_batch_on_function_error',
  'parallelization_factor',
  'tumbling_window_in_seconds',
  'function_response_types',
  'filter_criteria',
  'destination_config',
  'enabled',
  'function_name',
  'event_source_arn',
]);

const STARTING_POSITIONS: readonly StartingPosition[] = ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'];

function integerIn(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidSettingsError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function booleanOr(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new InvalidSettingsError(`${name} must be a boolean, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseTimestamp(value: unknown): Date {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'number'
        ? new Date(value * 1000)
        : typeof value === 'string'
          ? new Date(value)
          : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidSettingsError(
      `starting_position_timestamp must be an RFC 3339 string, epoch seconds or a Date, got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

function parseFilterPatterns(criteria: unknown): FilterPattern[] {
  if (criteria === undefined || criteria === null) return [];
  const filters = (criteria as { filter?: unknown }).filter;
  if (typeof criteria !== 'object' || !Array.isArray(filters)) {
    throw new InvalidSettingsError('filter_criteria must be { filter: [{ pattern: "<json>" }] }');
  }
  if (filters.length > LIMITS.filters.max) {
    throw new InvalidSettingsError(
      `filter_criteria holds at most ${LIMITS.filters.max} filters, got ${filters.length}`,
    );
  }
  return filters.map((filter: unknown, index) => {
    const pattern = (filter as { pattern?: unknown } | null)?.pattern;
    if (typeof pattern !== 'string') {
      throw new InvalidSettingsError(`filter_criteria.filter[${index}].pattern must be a JSON string`);
    }
    if (pattern.length > LIMITS.filters.patternMaxLength) {
      throw new InvalidSettingsError(
        `filter_criteria.filter[${index}].pattern is longer than ${LIMITS.filters.patternMaxLength} characters`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(pattern);
    } catch (cause) {
      throw new InvalidSettingsError(`filter_criteria.filter[${index}].pattern is not valid JSON`, { cause });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new InvalidSettingsError(`filter_criteria.filter[${index}].pattern must be a JSON object`);
    }
    return parsed as FilterPattern;
  });
}

/**
 * Validates Terraform-style mapping settings against the ranges AWS accepts and applies AWS defaults.
 *
 * @example
 * ```ts
 * const settings = resolveSettings({ starting_position: 'TRIM_HORIZON', batch_size: 500 });
 * settings.maximumRetryAttempts; // -1
 * ```
 * @throws InvalidSettingsError naming the setting and the accepted range.
 */
export function resolveSettings(raw: EventSourceMappingSettings): ResolvedSettings {
  if (typeof raw !== 'object' || raw === null) {
    throw new InvalidSettingsError('settings must be an object');
  }
  const unknown = Object.keys(raw).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new InvalidSettingsError(
      `unknown setting(s) ${unknown.join(', ')}; known: ${[...KNOWN_KEYS].join(', ')}`,
    );
  }

  if (!STARTING_POSITIONS.includes(raw.starting_position)) {
    throw new InvalidSettingsError(
      `starting_position must be one of ${STARTING_POSITIONS.join(', ')}, got ${JSON.stringify(raw.starting_position)}`,
    );
  }
  let startingPositionTimestamp: Date | undefined;
  if (raw.starting_position === 'AT_TIMESTAMP') {
    if (raw.starting_position_timestamp === undefined) {
      throw new InvalidSettingsError(
        'starting_position_timestamp is required with starting_position AT_TIMESTAMP',
      );
    }
    startingPositionTimestamp = parseTimestamp(raw.starting_position_timestamp);
  } else if (raw.starting_position_timestamp !== undefined) {
    throw new InvalidSettingsError(
      'starting_position_timestamp is only valid with starting_position AT_TIMESTAMP',
    );
  }

  const maximumRecordAgeInSeconds =
    raw.maximum_record_age_in_seconds ?? LIMITS.maximumRecordAgeInSeconds.default;
  if (maximumRecordAgeInSeconds !== -1) {
    integerIn(
      'maximum_record_age_in_seconds (or -1)',
      maximumRecordAgeInSeconds,
      LIMITS.maximumRecordAgeInSeconds.min,
      LIMITS.maximumRecordAgeInSeconds.max,
      -1,
    );
  }

  const responseTypes = raw.function_response_types ?? [];
  if (!Array.isArray(responseTypes) || responseTypes.some((type) => type !== REPORT_BATCH_ITEM_FAILURES)) {
    throw new InvalidSettingsError(
      `function_response_types accepts only ["${REPORT_BATCH_ITEM_FAILURES}"], got ${JSON.stringify(responseTypes)}`,
    );
  }

  let onFailureDestinationArn: string | undefined;
  if (raw.destination_config !== undefined && raw.destination_config !== null) {
    const arn = raw.destination_config.on_failure?.destination_arn;
    if (typeof arn !== 'string' || arn.length === 0) {
      throw new InvalidSettingsError(
        'destination_config must be { on_failure: { destination_arn: "<arn>" } }',
      );
    }
    if (arn.startsWith('arn:') && !arn.startsWith('arn:aws:sqs:')) {
      throw new InvalidSettingsError(
        `destination_config.on_failure.destination_arn: only SQS destinations are emulated, got ${arn}`,
      );
    }
    onFailureDestinationArn = arn;
  }

  return {
    batchSize: integerIn(
      'batch_size',
      raw.batch_size,
      LIMITS.batchSize.min,
      LIMITS.batchSize.max,
      LIMITS.batchSize.default,
    ),
    maximumBatchingWindowInSeconds: integerIn(
      'maximum_batching_window_in_seconds',
      raw.maximum_batching_window_in_seconds,
      LIMITS.maximumBatchingWindowInSeconds.min,
      LIMITS.maximumBatchingWindowInSeconds.max,
      LIMITS.maximumBatchingWindowInSeconds.default,
    ),
    startingPosition: raw.starting_position,
    startingPositionTimestamp,
    maximumRetryAttempts: integerIn(
      'maximum_retry_attempts',
      raw.maximum_retry_attempts,
      LIMITS.maximumRetryAttempts.min,
      LIMITS.maximumRetryAttempts.max,
      LIMITS.maximumRetryAttempts.default,
    ),
    maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: booleanOr(
      'bisect_batch_on_function_error',
      raw.bisect_batch_on_function_error,
      false,
    ),
    parallelizationFactor: integerIn(
      'parallelization_factor',
      raw.parallelization_factor,
      LIMITS.parallelizationFactor.min,
      LIMITS.parallelizationFactor.max,
      LIMITS.parallelizationFactor.default,
    ),
    tumblingWindowInSeconds: integerIn(
      'tumbling_window_in_seconds',
      raw.tumbling_window_in_seconds,
      LIMITS.tumblingWindowInSeconds.min,
      LIMITS.tumblingWindowInSeconds.max,
      LIMITS.tumblingWindowInSeconds.default,
    ),
    reportBatchItemFailures: responseTypes.includes(REPORT_BATCH_ITEM_FAILURES),
    filterPatterns: parseFilterPatterns(raw.filter_criteria),
    onFailureDestinationArn,
    enabled: booleanOr('enabled', raw.enabled, true),
  };
}
