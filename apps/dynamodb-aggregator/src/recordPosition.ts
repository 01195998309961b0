import { PositionError } from './errors';

const DIGITS = /^(0|[1-9]\d{0,128})$/;
/** Sub-records of one KPL record: a 1 MiB record holds fewer than 10^6 (each takes at least 6 bytes). */
const SUB_WIDTH = 6;
const MAX_SUB = 10 ** SUB_WIDTH - 1;

/**
 * The position of a (sub-)record in its shard as a string whose plain string order (the order DynamoDB's `<`
 * uses on strings) is the shard order: a 3-digit length, the sequence number, `:` and the zero-padded
 * subsequence number. The length prefix sorts sequence numbers of different lengths (Kinesis allows up to 129
 * digits) without padding every one to 129 digits, which would grow each item by ~70 bytes per shard.
 *
 * @example
 * ```ts
 * recordPosition('49590338271490256608559692538361571095921575989136588898', 2);
 * // => '05649590338271490256608559692538361571095921575989136588898:000002'
 * ```
 * @throws {PositionError} when the sequence number is not a canonical decimal or the subsequence is out of range.
 */
export function recordPosition(sequenceNumber: string, subSequenceNumber: number | undefined): string {
  if (!DIGITS.test(sequenceNumber)) {
    throw new PositionError(`sequence number '${sequenceNumber.slice(0, 140)}' is not a canonical decimal`);
  }
  const sub = subSequenceNumber ?? 0;
  if (!Number.isInteger(sub) || sub < 0 || sub > MAX_SUB) {
    throw new PositionError(`subsequence number ${sub} is outside 0..${MAX_SUB}`);
  }
  return `${String(sequenceNumber.length).padStart(3, '0')}${sequenceNumber}:${String(sub).padStart(SUB_WIDTH, '0')}`;
}
