import { ingestNames, type ConsumerName, type OutputFormat, type PipelineOutput } from '@shardline/contract';
import { identityOf, type Expectations } from './expectations';
import type { ContentsByFormat, OutputContents, SinkContents } from './readSinks';

/** Per output: how many expected items are missing, present more than once, or not expected at all. */
export interface SinkCheck {
  missing: number;
  duplicated: number;
  unexpected: number;
}

/** The verdict on one output. */
export interface OutputVerdict extends SinkCheck {
  output: PipelineOutput;
  /** How much it holds, in `unit`s. */
  holds: number;
  /** What it holds: 'events', 'documents', 'counted events', 'records' (distinct per consumer). */
  unit: string;
  /** What counts against the run: the expected items it lacks... */
  lost: number;
  /** ...and those it holds too often or should not hold. */
  excess: number;
  /** Figures only its format has (revenue mismatches, repeats, messages followed to the overflow...), by name. */
  notes: Record<string, number>;
  /** Problems beyond lost and excess (revenue sums that differ, messages whose data could not be read). */
  mismatches: number;
}

/** The verdict on the outputs. */
export interface Verification {
  valid: number;
  /** Distinct records quarantined, over every quarantine output. */
  quarantined: number;
  /** Expected items missing, summed over every output. */
  lost: number;
  /** Items present more than expected or not expected, summed over every output that must hold each once. */
  duplicated: number;
  /** Problems beyond lost and duplicated, summed (see {@link OutputVerdict.mismatches}). */
  mismatches: number;
  outputs: OutputVerdict[];
  /** Records the event source mappings skipped (on-failure destination messages, summed over batch sizes). */
  discardedByMappings: number;
}

/** What every check reads beside the output itself. */
export interface CheckContext {
  expected: Expectations;
  /** The consumers that must quarantine each invalid record: those reading a stream producers put records on. */
  quarantiners: readonly ConsumerName[];
}

type Verdict = Omit<OutputVerdict, 'output'>;

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

/** Each valid event as often as it was put: an output that is exactly once per stream record. */
function oncePerRecord(context: CheckContext): Map<string, number> {
  return countBy(context.expected.valid, (e) => e.identity);
}

/** A check whose every difference counts against the run. */
function strict(check: SinkCheck, holds: number, unit: string, notes: Record<string, number> = {}): Verdict {
  return {
    ...check,
    holds,
    unit,
    lost: check.missing,
    excess: check.duplicated + check.unexpected,
    notes,
    mismatches: 0,
  };
}

const eventLines = (lines: readonly string[]) =>
  countBy(lines, (line) => identityOf(parse(line) ?? {}) ?? `unparsable:${line}`);

type Check<F extends OutputFormat> = (contents: ContentsByFormat[F], context: CheckContext) => Verdict;

/** One check per output format: what an output of that format must hold after the run. */
const CHECKS: { [F in OutputFormat]: Check<F> } = {
  'ndjson-gzip': ({ lines, objects }, context) =>
    strict(compare(oncePerRecord(context), eventLines(lines)), lines.length, 'events', {
      objects: objects.length,
    }),
  'json-records': ({ records }, context) =>
    strict(compare(oncePerRecord(context), eventLines(records)), records.length, 'events'),
  // Keyed by the event identity: once per identity however often it was put.
  documents: ({ documents }, context) => {
    const once = new Map([...oncePerRecord(context).keys()].map((k) => [k, 1]));
    const have = countBy(documents, (d) => identityOf(d._source) ?? `unparsable:${d._id}`);
    return strict(compare(once, have), documents.length, 'documents');
  },
  'minute-counters': ({ rows }, { expected }) => {
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
    for (const row of rows) {
      const key = itemKey(row.campaignId, row.type, row.windowStart);
      haveItems.set(key, row.count);
      if (BigInt(row.revenueMicros) !== (wantRevenue.get(key) ?? 0n)) revenueMismatches++;
    }
    const counted = rows.reduce((sum, row) => sum + row.count, 0);
    return {
      ...strict(compare(wantItems, haveItems), counted, 'counted events', {
        items: rows.length,
        'revenue mismatches': revenueMismatches,
      }),
      mismatches: revenueMismatches,
    };
  },
  // Delivery to SQS is at least once: a repeated message is no error, a record never quarantined is lost.
  'quarantine-messages': ({ messages, fromOverflow, unresolved }, { expected, quarantiners }) => {
    const key = (consumer: unknown, data: unknown) => `${String(consumer)}\u0000${String(data)}`;
    const parsed = messages.map((body) => parse(body) as { consumer?: unknown; data?: unknown } | undefined);
    const received = countBy(parsed, (message) =>
      typeof message?.data === 'string' ? key(message.consumer, message.data) : undefined,
    );
    // A record an ingest function quarantined at the door (the importer's malformed line) never reached the stream:
    // that function's message stands for the consumers'. A valid record refused there is lost from the other outputs.
    const door = new Set<string>(ingestNames);
    const atDoor = new Map<string, string>();
    for (const message of parsed) {
      if (typeof message?.data === 'string' && door.has(String(message.consumer)))
        atDoor.set(message.data, String(message.consumer));
    }
    const want = new Map(
      expected.invalidData.flatMap((data) => {
        const ingest = atDoor.get(data);
        return ingest !== undefined
          ? [[key(ingest, data), 1] as const]
          : quarantiners.map((consumer) => [key(consumer, data), 1] as const);
      }),
    );
    const distinct = new Map([...received.keys()].map((k) => [k, 1]));
    const check = compare(want, distinct);
    return {
      ...check,
      holds: distinct.size,
      unit: 'records',
      lost: check.missing,
      excess: 0,
      notes: {
        repeats: [...received.values()].reduce((sum, n) => sum + n - 1, 0),
        'from overflow': fromOverflow,
        'unreadable overflow': unresolved.length,
      },
      mismatches: unresolved.length,
    };
  },
};

function checkOutput({ output, contents }: OutputContents, context: CheckContext): OutputVerdict {
  const check = CHECKS[output.format] as Check<typeof output.format>;
  return { output, ...check(contents as never, context) };
}

/**
 * Checks every output against the expectations with the check of its format: events exactly once per expected
 * event (one per identity: enrichment drops producers' repeats) where the format is (archive objects, stream records, counters, with their revenue sums), once per
 * identity where the output is keyed by it (documents), and every invalid record quarantined by each consumer
 * that reads it. Anything unexpected counts as duplicated.
 */
export function verifySinks(
  expected: Expectations,
  sinks: SinkContents,
  quarantiners: readonly ConsumerName[],
): Verification {
  const outputs = sinks.outputs.map((o) => checkOutput(o, { expected, quarantiners }));
  let discardedByMappings = 0;
  for (const bodies of Object.values(sinks.onFailure)) {
    for (const body of bodies) {
      const message = parse(body) as { KinesisBatchInfo?: { batchSize?: number } } | undefined;
      discardedByMappings += message?.KinesisBatchInfo?.batchSize ?? 0;
    }
  }
  const sum = (f: (v: OutputVerdict) => number) => outputs.reduce((n, v) => n + f(v), 0);
  return {
    valid: expected.valid.length,
    quarantined: sum((v) => (v.output.format === 'quarantine-messages' ? v.holds : 0)),
    lost: sum((v) => v.lost),
    duplicated: sum((v) => v.excess),
    mismatches: sum((v) => v.mismatches),
    outputs,
    discardedByMappings,
  };
}
