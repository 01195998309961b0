import { identityOf, type Expectations } from './expectations';
import type { SinkContents } from './readSinks';

/** Per sink: how many expected items are missing, present more than once, or not expected at all. */
export interface SinkCheck {
  missing: number;
  duplicated: number;
  unexpected: number;
}

/** The verdict on the sinks. */
export interface Verification {
  valid: number;
  quarantined: number;
  archived: number;
  indexed: number;
  aggregatedEvents: number;
  /** Expected items missing, summed over archive, index, aggregates and quarantine. */
  lost: number;
  /** Items present more than expected, summed over archive, index and aggregates. */
  duplicated: number;
  sinks: { archive: SinkCheck; index: SinkCheck; aggregates: SinkCheck; quarantine: SinkCheck };
  /** Quarantine messages that repeat one already received (at-least-once delivery, not a sink error). */
  quarantineRepeats: number;
  /** Aggregate items whose revenue sum differs from the expected one. */
  revenueMismatches: number;
  /** Records the event source mappings skipped (on-failure destination messages, summed over batch sizes). */
  discardedByMappings: number;
}

function countBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function compare(expected: Map<string, number>, actual: Map<string, number>): SinkCheck {
  const check: SinkCheck = { missing: 0, duplicated: 0, unexpected: 0 };
  for (const [key, want] of expected) {
    const have = actual.get(key) ?? 0;
    if (have < want) check.missing += want - have;
    if (have > want) check.duplicated += have - want;
  }
  for (const [key, have] of actual) if (!expected.has(key)) check.unexpected += have;
  return check;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Checks the sinks against the expectations: every valid event archived, counted and indexed once per identity
 * (enrichment drops producers' repeats; the index is keyed by the identity too), and every invalid record
 * quarantined. Anything unexpected counts as duplicated.
 */
export function verifySinks(expected: Expectations, sinks: SinkContents): Verification {
  const wantRecords = countBy(expected.valid, (e) => e.identity);
  const wantIdentities = new Map([...wantRecords.keys()].map((k) => [k, 1]));

  const archive = compare(
    wantRecords,
    countBy(sinks.archiveLines, (line) => identityOf(parse(line) ?? {}) ?? `unparsable:${line}`),
  );
  const index = compare(
    wantIdentities,
    countBy(sinks.documents, (d) => identityOf(d._source) ?? `unparsable:${d._id}`),
  );

  const itemKey = (campaignId: string, type: string, windowStart: string) =>
    `${campaignId}#${type}#${windowStart}`;
  const wantItems = countBy(expected.valid, (e) => itemKey(e.campaignId, e.type, e.windowStart));
  const wantRevenue = new Map<string, bigint>();
  for (const e of expected.valid) {
    const key = itemKey(e.campaignId, e.type, e.windowStart);
    wantRevenue.set(key, (wantRevenue.get(key) ?? 0n) + e.revenueMicros);
  }
  const haveItems = new Map<string, number>();
  let revenueMismatches = 0;
  for (const row of sinks.aggregates) {
    const key = itemKey(row.campaignId, row.type, row.windowStart);
    haveItems.set(key, row.count);
    if (BigInt(row.revenueMicros) !== (wantRevenue.get(key) ?? 0n)) revenueMismatches++;
  }
  const aggregates = compare(wantItems, haveItems);

  const quarantinedData = countBy(sinks.quarantine, (body) => {
    const message = parse(body) as { data?: unknown; sequenceNumber?: unknown } | undefined;
    return typeof message?.data === 'string' ? message.data : undefined;
  });
  const wantInvalid = new Map(expected.invalidData.map((d) => [d, 1]));
  const distinctQuarantined = new Map([...quarantinedData.keys()].map((k) => [k, 1]));
  const quarantine = compare(wantInvalid, distinctQuarantined);
  const quarantineRepeats = [...quarantinedData.values()].reduce((sum, n) => sum + n - 1, 0);

  let discardedByMappings = 0;
  for (const bodies of Object.values(sinks.onFailure)) {
    for (const body of bodies) {
      const message = parse(body) as { KinesisBatchInfo?: { batchSize?: number } } | undefined;
      discardedByMappings += message?.KinesisBatchInfo?.batchSize ?? 0;
    }
  }

  return {
    valid: expected.valid.length,
    quarantined: distinctQuarantined.size,
    archived: sinks.archiveLines.length,
    indexed: sinks.documents.length,
    aggregatedEvents: sinks.aggregates.reduce((sum, row) => sum + row.count, 0),
    lost: archive.missing + index.missing + aggregates.missing + quarantine.missing,
    duplicated:
      archive.duplicated +
      archive.unexpected +
      index.duplicated +
      index.unexpected +
      aggregates.duplicated +
      aggregates.unexpected,
    sinks: { archive, index, aggregates, quarantine },
    quarantineRepeats,
    revenueMismatches,
    discardedByMappings,
  };
}
