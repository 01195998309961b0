import type { FailedPut, PutEntry } from '@shardline/aws';
import type { KinesisBatch } from '@shardline/middleware';
import type { DecodedRecord, RecordOrigin } from '@shardline/records';
import type { AdEvent, EnrichedEvent } from '@shardline/schema';
import type { CampaignInfo, CampaignLookup } from './CampaignCache';
import {
  fingerprint,
  type Candidate,
  type Classification,
  type IdentityWindow,
  type WindowPointer,
} from './identityWindow';
import { truncateIp } from './ip';
import { handledRuns, inRanges, mergeRanges, recordKey, type KeyRange } from './ledgerRanges';
import type { LedgerState, PublishLedger } from './PublishLedger';
import type { RepeatFilter } from './RepeatFilter';
import { serialiseEnriched } from './serialiseEnriched';
import { parseUserAgent } from './userAgent';

/** Reason code of a valid event whose time cannot be represented (e.g. a leap second `23:59:60`). */
export const TIME_UNREPRESENTABLE = 'TIME_UNREPRESENTABLE';

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Normalises and enriches one validated event IN PLACE and returns it typed as enriched: `time` in canonical UTC
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`), `revenueMicros` present, `ip` truncated, plus the `enrichment` object.
 *
 * In place because the payload was parsed for this invocation alone and copying it would cost as much as the JSON
 * work itself. Deterministic for a given record (no wall-clock fields), so a retried record enriches identically
 * and the sinks downstream stay idempotent.
 *
 * @param origin the raw record, recorded as `enrichment.origin` (lineage, and how a retry recognises its output).
 * @returns the enriched event, or `undefined` when the event time cannot be represented.
 */
export function enrichEvent(
  event: AdEvent,
  arrivalSeconds: number,
  campaign: CampaignInfo,
  origin?: RecordOrigin,
): EnrichedEvent | undefined {
  let time = event.time;
  let millis: number;
  if (CANONICAL_UTC.test(time)) {
    millis = Date.parse(time);
  } else {
    millis = Date.parse(time);
    if (Number.isNaN(millis)) return undefined;
    time = new Date(millis).toISOString();
  }
  const data = event.data as EnrichedEvent['data'];
  data.revenueMicros ??= 0;
  let ipTruncated = false;
  if (data.ip !== undefined) {
    const truncated = truncateIp(data.ip);
    // The schema admitted the address, so truncation succeeds; never publish it in clear regardless.
    if (truncated === undefined) delete data.ip;
    else data.ip = truncated;
    ipTruncated = true;
  }
  const enriched = event as EnrichedEvent;
  enriched.time = time;
  enriched.enrichment = {
    campaign,
    device: parseUserAgent(data.userAgent),
    ingestLagMs: Math.round(arrivalSeconds * 1000) - millis,
    eventDate: time.slice(0, 10),
    ipTruncated,
  };
  if (origin) {
    enriched.enrichment.origin =
      origin.subSequenceNumber === undefined
        ? { shardId: origin.shardId, sequenceNumber: origin.sequenceNumber }
        : {
            shardId: origin.shardId,
            sequenceNumber: origin.sequenceNumber,
            subSequenceNumber: origin.subSequenceNumber,
          };
  }
  return enriched;
}

/** What {@link enrichBatch} needs from the outside world. */
export interface EnrichDeps {
  /** Campaign reference data for a set of campaign ids. */
  lookupCampaigns(ids: Set<string>, signal: AbortSignal): Promise<CampaignLookup>;
  /** Publishes entries to the enriched stream; returns those that still failed. */
  publish(
    entries: PutEntry<DecodedRecord<AdEvent>>[],
    signal: AbortSignal,
    onWritten: (refs: unknown[]) => void,
  ): Promise<FailedPut<DecodedRecord<AdEvent>>[]>;
  /** Remembers what was published per shard; without it a retried batch republishes (at least once). */
  ledger?: PublishLedger;
  /**
   * Drops producers' repeats: records whose event identity an earlier record of the shard carried within the
   * filter's window. Needs the ledger; without it every record is published.
   */
  repeats?: RepeatFilter;
  /** Told how many records of the batch were dropped as repeats (not counting those an earlier delivery dropped). */
  onRepeats?: (count: number) => void;
  /** Told when the ledger cannot be read or written (the batch still goes on, at least once). */
  onLedgerError?: (error: unknown) => void;
  /**
   * Which of the records an interrupted invocation was publishing reached the enriched stream (record keys), or
   * `undefined` when that cannot be established; see {@link findPublished}.
   */
  findPublished?: (
    rawShardId: string,
    pending: { ranges: readonly KeyRange[]; since: number },
    signal: AbortSignal,
  ) => Promise<Set<string> | undefined>;
}

/**
 * The enrichment consumer's work for one batch: skip what an earlier delivery already published, drop producers'
 * repeats of an event identity the shard carried within the window, look up the batch's distinct campaigns, enrich every record, publish to the enriched stream keeping each record's partition
 * key, record what is now handled in the publish ledger, and report per record.
 *
 * Why a ledger: the event source mapping retries from the lowest failed record, and redelivers a whole batch
 * whose response was lost or whose function crashed; without it every such retry would publish duplicates that
 * the sinks downstream see as new Kinesis records. Before publishing, the ledger notes what is about to be
 * published (`pending`); if the function dies before noting the outcome, the next delivery reads the enriched
 * stream from that moment to learn exactly which of those records made it.
 *
 * Why a window: a producer that retries writes a new Kinesis record with the same identity, which the ledger
 * cannot tell apart. The shard's window of recent identities moves with the ledger's outcome write, over the
 * prefix of the batch that needs no retry, so a redelivery classifies every record again exactly as before.
 */
export async function enrichBatch(batch: KinesisBatch<AdEvent>, deps: EnrichDeps): Promise<void> {
  const records = batch.records;
  if (records.length === 0) return;
  const first = records[0]!;
  const shard = `${first.eventSourceARN}#${first.shardId}`;
  // Records arrive in shard order (KPL sub-records in sub-sequence order), and so do their keys.
  const keys = records.map((r) => recordKey(r.sequenceNumber, r.subSequenceNumber));
  const loaded = deps.ledger ? await loadLedger(batch, deps, shard) : undefined;
  const state = loaded ?? { ranges: [] };
  const published = state.pending
    ? await resolvePending(batch, deps, first.shardId, state.pending)
    : undefined;

  const skipped = keys.map((key) => inRanges(state.ranges, key) || published?.has(key) === true);
  // Producers' repeats are dropped like records already handled: never published, never quarantined.
  const repeats = loaded ? await findRepeats(batch, deps, shard, keys, state.dedup) : undefined;
  if (repeats) {
    let dropped = 0;
    for (let i = 0; i < records.length; i++) {
      if (repeats.classification.repeat[i] && !skipped[i]) {
        skipped[i] = true;
        dropped++;
      }
    }
    if (dropped > 0) deps.onRepeats?.(dropped);
  }
  const pending = records.filter((_, i) => !skipped[i]);
  batch.complete(records.filter((_, i) => skipped[i]));
  if (!deps.ledger) {
    if (pending.length > 0) await publishEnriched(batch, deps, pending);
    return;
  }

  // Ranges of these records only: quarantined records are never published, so a range may span them or not.
  const firstKey = keys[0]!;
  // An interrupted invocation's intent may reach beyond this batch (a retry can be shorter, e.g. bisected): keep
  // that part, so the delivery that brings those records resolves them too.
  const leftover = state.pending && clipAfter(state.pending, keys[keys.length - 1]!);
  // The window's pointer moves only with the outcome: a crash before it reclassifies from where it was.
  const dedup = repeats?.window.pointer ?? state.dedup;
  let notHandled = new Set<DecodedRecord<AdEvent>>();
  if (pending.length > 0) {
    const alreadyHandled = mergeRanges(state.ranges, handledRuns(keys, skipped), firstKey);
    const intent = {
      ranges: handledRuns(
        keys,
        skipped.map((s) => !s),
      ),
      since: Date.now(),
    };
    await saveLedger(batch, deps, shard, {
      ranges: alreadyHandled,
      pending: joinIntents(leftover, intent),
      ...(dedup ? { dedup } : {}),
    });
    notHandled = new Set(await publishEnriched(batch, deps, pending));
  }
  const handled = records.map((r) => !notHandled.has(r));
  const outcome: LedgerState = { ranges: mergeRanges(state.ranges, handledRuns(keys, handled), firstKey) };
  if (leftover) outcome.pending = leftover;
  const step = repeats && (await advanceWindow(batch, deps, shard, repeats, handled));
  if (step) outcome.dedup = step.pointer;
  else if (dedup) outcome.dedup = dedup;
  const saved = await saveLedger(batch, deps, shard, outcome);
  if (repeats && step && saved) {
    repeats.window.commit(step);
    deps.repeats!.remember(shard, repeats.window);
  } else if (repeats) {
    deps.repeats!.forget(shard);
  }
}

interface Repeats {
  window: IdentityWindow;
  candidates: Candidate[];
  classification: Classification;
}

/** The shard's window and which of the batch's records repeat an identity in it; `undefined` when unavailable. */
async function findRepeats(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  shard: string,
  keys: readonly string[],
  pointer: WindowPointer | undefined,
): Promise<Repeats | undefined> {
  if (!deps.repeats || deps.repeats.windowMs <= 0) return undefined;
  const window = await ledgerCall(
    batch,
    deps,
    () => deps.repeats!.open(shard, pointer, batch.signal),
    undefined,
  );
  if (!window) return undefined;
  const candidates = batch.records.map((r, i) => ({
    key: keys[i]!,
    fingerprint: fingerprint(r.payload.source, r.payload.id),
    arrivalMs: Math.round(r.approximateArrivalTimestamp * 1000),
  }));
  return { window, candidates, classification: window.classify(candidates) };
}

/**
 * Stores the window's segment for the handled prefix of the batch (the records before the first that will be
 * retried); `undefined` when it could not be stored, so the pointer stays and the next delivery redoes it.
 */
async function advanceWindow(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  shard: string,
  repeats: Repeats,
  handled: readonly boolean[],
): Promise<ReturnType<IdentityWindow['advance']> | undefined> {
  const prefix = handled.indexOf(false);
  const step = repeats.window.advance(
    repeats.candidates,
    repeats.classification,
    prefix === -1 ? handled.length : prefix,
  );
  const stored = await ledgerWrite(batch, deps, () => deps.repeats!.store(shard, step, batch.signal));
  return stored ? step : undefined;
}

type Intent = NonNullable<LedgerState['pending']>;

/** The part of an intent after `lastKey`, or `undefined` when nothing of it is left. */
function clipAfter(intent: Intent, lastKey: string): Intent | undefined {
  // lastKey + NUL sorts after lastKey and before every longer-or-equal key greater than it (keys have one width).
  const after = `${lastKey}\u0000`;
  const ranges: KeyRange[] = [];
  for (const [from, to] of intent.ranges) if (to > lastKey) ranges.push([from > lastKey ? from : after, to]);
  return ranges.length > 0 ? { ranges, since: intent.since } : undefined;
}

/** Two intents as one: their ranges, read from the earlier start. */
function joinIntents(a: Intent | undefined, b: Intent): Intent {
  if (!a) return b;
  return { ranges: mergeRanges(a.ranges, b.ranges, ''), since: Math.min(a.since, b.since) };
}

async function resolvePending(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  rawShardId: string,
  pending: { ranges: readonly KeyRange[]; since: number },
): Promise<Set<string> | undefined> {
  if (!deps.findPublished) return undefined;
  const found = await batch.timeSink('kinesis', () => deps.findPublished!(rawShardId, pending, batch.signal));
  if (found === undefined)
    deps.onLedgerError?.(new Error('could not establish what an interrupted invocation published'));
  return found;
}

/** Enriches and publishes records; returns those that failed transiently (already reported to the batch). */
async function publishEnriched(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  records: DecodedRecord<AdEvent>[],
): Promise<DecodedRecord<AdEvent>[]> {
  const ids = new Set<string>();
  for (const r of records) ids.add(r.payload.data.campaignId);
  const lookup = await batch.timeSink('dynamodb', () => deps.lookupCampaigns(ids, batch.signal));

  const failed: DecodedRecord<AdEvent>[] = [];
  const entries: PutEntry<DecodedRecord<AdEvent>>[] = [];
  const arena = new Utf8Arena(records.length * 1024);
  for (const record of records) {
    const campaign = lookup.campaigns.get(record.payload.data.campaignId);
    if (!campaign) {
      batch.fail(record, 'CampaignLookupFailed');
      failed.push(record);
      continue;
    }
    const payload = record.payload;
    const changes = {
      originalTime: payload.time,
      originalIp: payload.data.ip,
      hadRevenue: payload.data.revenueMicros !== undefined,
    };
    const enriched = enrichEvent(payload, record.approximateArrivalTimestamp, campaign, record);
    if (!enriched) {
      batch.reject(
        record,
        `time '${payload.time}' cannot be represented as a UTC instant`,
        TIME_UNREPRESENTABLE,
      );
      continue;
    }
    const text = serialiseEnriched(record.text, enriched, changes);
    entries.push({ data: arena.encode(text), partitionKey: record.partitionKey, ref: record });
  }
  if (entries.length === 0) return failed;

  const unpublished = await batch.timeSink('kinesis', () =>
    deps.publish(entries, batch.signal, (refs) => batch.complete(refs as DecodedRecord<AdEvent>[])),
  );
  for (const f of unpublished) {
    batch.fail(f.ref, f.errorCode);
    failed.push(f.ref);
  }
  return failed;
}

/** The shard's ledger state, or `undefined` when it cannot be read (the batch then goes on at least once). */
async function loadLedger(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  shard: string,
): Promise<LedgerState | undefined> {
  return ledgerCall(batch, deps, () => deps.ledger!.load(shard, batch.signal), undefined);
}

/** Whether the state was stored. */
async function saveLedger(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  shard: string,
  state: LedgerState,
): Promise<boolean> {
  return ledgerWrite(batch, deps, () => deps.ledger!.save(shard, state, batch.signal));
}

/** Whether a write to the ledger table succeeded; see {@link ledgerCall}. */
function ledgerWrite(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  write: () => Promise<void>,
): Promise<boolean> {
  return ledgerCall(
    batch,
    deps,
    async () => {
      await write();
      return true;
    },
    false,
  );
}

/** A timed call to the ledger table; a failure is reported and yields `fallback` (the batch goes on at least once). */
async function ledgerCall<R, F>(
  batch: KinesisBatch<AdEvent>,
  deps: EnrichDeps,
  call: () => Promise<R>,
  fallback: F,
): Promise<R | F> {
  try {
    return await batch.timeSink('dynamodb', call);
  } catch (error) {
    deps.onLedgerError?.(error);
    return fallback;
  }
}

/**
 * UTF-8 encodes many strings into a few large buffers and hands out views: one allocation per megabyte rather
 * than one per record, which matters when every record of a batch is re-encoded.
 */
class Utf8Arena {
  #chunk: Buffer;
  #offset = 0;

  constructor(expectedBytes: number) {
    this.#chunk = Buffer.allocUnsafe(Math.min(Math.max(expectedBytes, 64 * 1024), 8 * 1024 * 1024));
  }

  encode(text: string): Buffer {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.#chunk.length - this.#offset < text.length * 3) {
      this.#chunk = Buffer.allocUnsafe(Math.max(text.length * 3, 1024 * 1024));
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += this.#chunk.write(text, start);
    return this.#chunk.subarray(start, this.#offset);
  }
}
