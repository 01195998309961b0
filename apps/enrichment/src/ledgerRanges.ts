/**
 * Ranges of record keys that enrichment has already handled on one shard, so that a retried, re-cut or
 * duplicated batch does not publish the same records to the enriched stream twice.
 *
 * A record key orders records of one shard: the sequence number, then the KPL sub-sequence number, both
 * zero-padded so that string order is numeric order. A range [from, to] means "every record delivered with a key
 * from `from` to `to` was handled"; it is sound because Lambda delivers a shard's records as contiguous runs in
 * sequence order, so the records between two delivered keys are always the same ones.
 */
export type KeyRange = readonly [from: string, to: string];

/** At most this many ranges are kept; beyond it the highest are dropped (a possible duplicate, never a loss). */
export const MAX_RANGES = 50;

/** The ordering key of a record: zero-padded sequence number and sub-sequence number. */
export function recordKey(sequenceNumber: string, subSequenceNumber = 0): string {
  return `${sequenceNumber.padStart(64, '0')}:${String(subSequenceNumber).padStart(10, '0')}`;
}

/** Whether `key` falls in one of the (sorted, disjoint) ranges. */
export function inRanges(ranges: readonly KeyRange[], key: string): boolean {
  for (const [from, to] of ranges) {
    if (key < from) return false;
    if (key <= to) return true;
  }
  return false;
}

/**
 * Runs of consecutive handled records in one batch, as ranges. `keys` are the batch's record keys in delivery
 * order; `handled[i]` says whether record i needs no publishing on a retry.
 */
export function handledRuns(keys: readonly string[], handled: readonly boolean[]): KeyRange[] {
  const runs: KeyRange[] = [];
  let start = -1;
  for (let i = 0; i <= keys.length; i++) {
    if (i < keys.length && handled[i]) {
      if (start === -1) start = i;
    } else if (start !== -1) {
      runs.push([keys[start]!, keys[i - 1]!]);
      start = -1;
    }
  }
  return runs;
}

/**
 * The ledger after a batch: previous ranges that can still be redelivered (those reaching at or beyond the
 * batch's first key: the mapping never goes back below a batch it has delivered) merged with the batch's runs.
 * Ranges that overlap are merged; disjoint ones stay apart because unseen records may lie between them.
 */
export function mergeRanges(
  previous: readonly KeyRange[],
  runs: readonly KeyRange[],
  firstKey: string,
): KeyRange[] {
  const all = [...previous.filter(([, to]) => to >= firstKey), ...runs].sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0,
  );
  const merged: Array<[string, string]> = [];
  for (const [from, to] of all) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) {
      if (to > last[1]) last[1] = to;
    } else {
      merged.push([from, to]);
    }
  }
  return merged.slice(0, MAX_RANGES);
}
