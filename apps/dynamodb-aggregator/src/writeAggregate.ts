import { UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';
import { ATTRIBUTES, MAX_DYNAMODB_INTEGER, WRITE_DEFAULTS } from './constants';
import { buildUpdateItem, highWaterMarkAttribute } from './buildUpdateItem';
import { totalsAbove } from './combineBatch';
import { isNumberOverflow, isTransientError } from './isTransientError';
import type { ItemState, KeyAggregate } from './types';

/** Tuning of the write loop; every field has a default in `WRITE_DEFAULTS`. */
export interface WriteSettings {
  maxTransientAttempts: number;
  maxConflicts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  reserveMs: number;
}

/** Dependencies of {@link writeAggregate}. */
export interface WriteAggregateOptions extends Partial<WriteSettings> {
  dynamodb: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  /** Milliseconds left in the invocation's budget. */
  timeLeftMs: () => number;
  /** Aborts in-flight calls and stops retries (the timeout guard's signal). */
  signal?: AbortSignal;
  /** Waits between attempts; replaced in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. */
  random?: () => number;
}

/** What happened to one item. `calls` counts UpdateItem requests sent, `conflicts` conditional-check failures. */
export type WriteOutcome =
  | { status: 'written' | 'unchanged'; calls: number; conflicts: number }
  | { status: 'failed'; calls: number; conflicts: number; cause: string }
  | { status: 'overflow'; calls: number; conflicts: number; message: string };

/**
 * Adds one aggregate to its item with one conditional UpdateItem, and resolves every failure:
 * - ConditionalCheckFailed: the ALL_OLD image says what the item already holds; the delta is recomputed from the
 *   records above the stored high-water mark (`unchanged` when there are none: a duplicate delivery) and sent
 *   again without waiting;
 * - throttling, 5xx, network: retried with exponential backoff and full jitter while the time budget allows,
 *   then `failed` (the caller reports the records as batch item failures);
 * - a sum beyond DynamoDB's 38 digits: `overflow` (the caller quarantines the records).
 * An ambiguous attempt (timeout after sending) is safe to repeat: if it was applied, the repeat meets the
 * advanced high-water mark and ends `unchanged`.
 *
 * @example
 * ```ts
 * const outcome = await writeAggregate(aggregate, { dynamodb, tableName, timeLeftMs: () => batch.timeLeftMs() });
 * if (outcome.status === 'failed') batch.fail(records, outcome.cause);
 * ```
 */
export async function writeAggregate<T>(
  aggregate: KeyAggregate<T>,
  options: WriteAggregateOptions,
): Promise<WriteOutcome> {
  const settings: WriteSettings = { ...WRITE_DEFAULTS, ...definedOnly(options) };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  let state: ItemState | undefined;
  let calls = 0;
  let conflicts = 0;
  let transientFailures = 0;
  for (;;) {
    const totals = totalsAbove(aggregate, state?.highWaterMark);
    if (totals === undefined) return { status: 'unchanged', calls, conflicts };
    if (BigInt(totals.revenueMicros) > MAX_DYNAMODB_INTEGER) {
      return {
        status: 'overflow',
        calls,
        conflicts,
        message: `revenueMicros sum ${totals.revenueMicros} exceeds 38 digits`,
      };
    }
    if (options.signal?.aborted) return { status: 'failed', calls, conflicts, cause: 'ABORTED' };
    calls++;
    try {
      await options.dynamodb.send(
        new UpdateItemCommand(buildUpdateItem(options.tableName, aggregate, totals, state)),
        {
          abortSignal: options.signal,
        },
      );
      return { status: 'written', calls, conflicts };
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        conflicts++;
        const item = (error as { Item?: Record<string, AttributeValue> }).Item;
        // Without the old image there is nothing to recompute from; the event source mapping retries instead.
        if (item === undefined)
          return { status: 'failed', calls, conflicts, cause: 'CONDITION_FAILED_WITHOUT_ITEM' };
        if (conflicts > settings.maxConflicts)
          return { status: 'failed', calls, conflicts, cause: 'CONDITION_CONFLICTS' };
        state = itemState(item, aggregate.shardId);
        continue;
      }
      if (isNumberOverflow(error)) {
        return { status: 'overflow', calls, conflicts, message: (error as Error).message };
      }
      const cause = errorName(error);
      if (!isTransientError(error) || options.signal?.aborted)
        return { status: 'failed', calls, conflicts, cause };
      transientFailures++;
      if (transientFailures >= settings.maxTransientAttempts)
        return { status: 'failed', calls, conflicts, cause };
      const ceiling = Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** (transientFailures - 1));
      const backoff = Math.floor(random() * ceiling);
      if (options.timeLeftMs() < backoff + settings.reserveMs)
        return { status: 'failed', calls, conflicts, cause };
      await sleep(backoff, options.signal);
    }
  }
}

/** Reads the high-water mark and bounds from an ALL_OLD image (an empty object when the item did not exist). */
export function itemState(item: Record<string, AttributeValue>, shardId: string): ItemState {
  const state: ItemState = {};
  const mark = item[highWaterMarkAttribute(shardId)]?.S;
  const first = item[ATTRIBUTES.firstSeen]?.S;
  const last = item[ATTRIBUTES.lastSeen]?.S;
  if (mark !== undefined) state.highWaterMark = mark;
  if (first !== undefined) state.firstSeen = first;
  if (last !== undefined) state.lastSeen = last;
  return state;
}

function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

function errorName(error: unknown): string {
  const e = error as { name?: string; code?: string } | null;
  return e?.name && e.name !== 'Error' ? e.name : (e?.code ?? 'UNKNOWN_ERROR');
}

function definedOnly(options: Partial<WriteSettings>): Partial<WriteSettings> {
  const out: Partial<WriteSettings> = {};
  for (const key of [
    'maxTransientAttempts',
    'maxConflicts',
    'baseBackoffMs',
    'maxBackoffMs',
    'reserveMs',
  ] as const) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  // An abort ends the wait; the caller looks at the signal itself.
  await delay(ms, undefined, { signal }).catch(() => undefined);
}
