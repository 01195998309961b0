import { EventShapeError } from './errors';

const SHARD_PREFIX = 'shardId-';

/**
 * Extracts the shard id from a Lambda Kinesis eventID (`shardId-<12 digits>:<sequenceNumber>`).
 *
 * @example
 * ```ts
 * parseShardId('shardId-000000000006:49590338271490256608559692538361571095921575989136588898');
 * // => 'shardId-000000000006'
 * ```
 * @throws {EventShapeError} when the eventID does not start with a shard id followed by `:`.
 */
export function parseShardId(eventID: string): string {
  const colon = typeof eventID === 'string' ? eventID.indexOf(':') : -1;
  if (colon <= SHARD_PREFIX.length || !eventID.startsWith(SHARD_PREFIX)) {
    throw new EventShapeError(`eventID ${JSON.stringify(eventID)} does not start with "shardId-<id>:"`);
  }
  return eventID.slice(0, colon);
}
