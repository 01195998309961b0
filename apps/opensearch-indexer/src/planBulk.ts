import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { MAX_EVENT_AGE_MS, MAX_EVENT_FUTURE_MS, REASON } from './constants';
import { DailyIndexNames, eventTimeMillis } from './dailyIndexName';
import { documentId } from './documentId';
import type { BulkPlan, PlannedDocument } from './types';

/** Options of {@link planBulk}. */
export interface PlanBulkOptions {
  /** Validated index prefix. */
  indexPrefix: string;
  /** Oldest accepted event time relative to arrival, ms; default `MAX_EVENT_AGE_MS`. */
  maxEventAgeMs?: number;
  /** Furthest accepted event time ahead of arrival, ms; default `MAX_EVENT_FUTURE_MS`. */
  maxEventFutureMs?: number;
}

/**
 * Turns a batch of enriched records into bulk `index` actions: one document per event identity, in its daily
 * index, with the record's own JSON text as the source (no re-serialisation unless the text spans lines).
 *
 * - The index comes from the validated event time only, within a window around the record's arrival; a record
 *   outside it is refused (it would otherwise create an index of its choosing).
 * - Records of the batch sharing an `_id` keep only the last one (sequence order): the earlier ones are
 *   `superseded`, so a retry of one item can never overwrite a later version of the same document.
 *
 * @example
 * ```ts
 * const plan = planBulk(batch.records, { indexPrefix: 'events' });
 * for (const r of plan.refused) batch.reject(r.record, r.message, r.reason);
 * ```
 */
export function planBulk<T extends EnrichedEvent>(
  records: ReadonlyArray<DecodedRecord<T>>,
  options: PlanBulkOptions,
): BulkPlan<T> {
  const maxAge = options.maxEventAgeMs ?? MAX_EVENT_AGE_MS;
  const maxFuture = options.maxEventFutureMs ?? MAX_EVENT_FUTURE_MS;
  const names = new DailyIndexNames(options.indexPrefix);
  const plan: BulkPlan<T> = { documents: [], refused: [], superseded: [] };
  const byId = new Map<string, number>();
  for (const record of records) {
    const event = record.payload;
    const ms = eventTimeMillis(event.time);
    const arrivalMs = record.approximateArrivalTimestamp * 1000;
    if (!(ms >= arrivalMs - maxAge && ms <= arrivalMs + maxFuture)) {
      plan.refused.push({
        record,
        reason: REASON.eventTimeOutOfRange,
        message:
          `event time ${JSON.stringify(event.time.slice(0, 40))} is not within ${maxAge / 86_400_000} days before ` +
          `and ${maxFuture / 3_600_000} hours after the record's arrival (${new Date(arrivalMs).toISOString()})`,
      });
      continue;
    }
    const index = names.forMillis(ms);
    const id = documentId(event.source, event.id);
    // A JSON text spans lines only through insignificant whitespace, so re-serialising keeps the document.
    const source = record.text.includes('\n') ? JSON.stringify(event) : record.text;
    const action = `{"index":{"_index":"${index}","_id":"${id}"}}\n`;
    const sourceBytes = source === record.text ? record.size : Buffer.byteLength(source);
    const document: PlannedDocument<T> = {
      record,
      index,
      id,
      lines: `${action}${source}\n`,
      bytes: action.length + sourceBytes + 1,
    };
    const earlier = byId.get(id);
    if (earlier !== undefined) {
      plan.superseded.push(plan.documents[earlier]!.record);
      plan.documents[earlier] = document;
    } else {
      byId.set(id, plan.documents.length);
      plan.documents.push(document);
    }
  }
  return plan;
}

/**
 * Groups documents into bulk bodies of at most `maxBytes` (a document larger than the cap goes alone), keeping
 * their order.
 *
 * @example
 * ```ts
 * for (const chunk of chunkByBytes(plan.documents, 5 * 1024 * 1024)) await send(chunk.map((d) => d.lines).join(''));
 * ```
 */
export function chunkByBytes<D extends { bytes: number }>(documents: readonly D[], maxBytes: number): D[][] {
  const chunks: D[][] = [];
  let current: D[] = [];
  let bytes = 0;
  for (const document of documents) {
    if (current.length > 0 && bytes + document.bytes > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(document);
    bytes += document.bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
