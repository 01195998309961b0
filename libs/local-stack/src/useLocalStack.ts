import { existsSync, readFileSync } from 'node:fs';
import { ENV, SERVICE_NAMES } from './constants';
import { LocalStackStateError } from './errors';
import { startLocalStack } from './startLocalStack';
import type { LocalStack, LocalStackState, ServiceName } from './types';

/**
 * For tests: connects to the shared stack described by the state file named in SHARDLINE_LOCAL_STACK (written
 * by `tools/local-stack/serve.ts`) when it runs every requested service; otherwise starts a private stack.
 * stop() only stops what this call started, so it is always safe to call.
 *
 * @example
 * let stack: LocalStack;
 * beforeAll(async () => { stack = await useLocalStack(['kinesis']); });
 * afterAll(() => stack.stop());
 */
export async function useLocalStack(services: ServiceName[]): Promise<LocalStack> {
  const file = process.env[ENV.sharedStackFile];
  if (file && existsSync(file)) {
    const state = readLocalStackState(file);
    if (services.every((service) => state.endpoints[service] !== undefined)) {
      return {
        endpoints: state.endpoints,
        region: state.region,
        env: () => ({ ...state.env }),
        stop: () => Promise.resolve(),
      };
    }
  }
  return startLocalStack({ services });
}

/** Reads and checks a state file written by the serve tool. */
export function readLocalStackState(file: string): LocalStackState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new LocalStackStateError(file, 'not readable JSON', { cause: error });
  }
  if (!isState(parsed))
    throw new LocalStackStateError(file, 'expected {endpoints, region, env} with string values');
  return parsed;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function isState(value: unknown): value is LocalStackState {
  if (typeof value !== 'object' || value === null) return false;
  const { endpoints, region, env } = value as Record<string, unknown>;
  return (
    isStringRecord(endpoints) &&
    Object.keys(endpoints).every((key) => SERVICE_NAMES.includes(key as ServiceName)) &&
    typeof region === 'string' &&
    isStringRecord(env)
  );
}
