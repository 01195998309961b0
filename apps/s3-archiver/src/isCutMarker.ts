/**
 * Whether a Kinesis record marks the start of a new archive object: true with probability
 * `bytes / averageCutBytes`, decided by a hash of its sequence number alone. Because the decision depends on
 * nothing else (not on where the batch started), every batch that contains the record cuts there, which keeps
 * object keys stable under re-cut batches (README, "Keys and exactly-once").
 *
 * @example
 * ```ts
 * isCutMarker('49590338271490256608559692538361571095921575989136588898', 1_000, 4 * 1024 * 1024);
 * ```
 */
export function isCutMarker(sequenceNumber: string, bytes: number, averageCutBytes: number): boolean {
  return hash32(sequenceNumber) / 0x1_0000_0000 < bytes / averageCutBytes;
}

/** FNV-1a over the characters, then the murmur3 finaliser, so that neighbouring sequence numbers spread evenly. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
