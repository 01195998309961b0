/**
 * Orders Kinesis sequence numbers (decimal strings of up to 128 bits, no leading zeros) numerically.
 *
 * @example
 * ```ts
 * ['10', '9', '100'].sort(compareSequenceNumbers); // => ['9', '10', '100']
 * ```
 */
export function compareSequenceNumbers(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
