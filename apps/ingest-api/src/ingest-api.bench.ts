// CPU path of the ingestion API for one request: read the body (base64, gzip), split and check the events, build
// the answer, with a stream that stores everything at once. Network, API Gateway and Kinesis are not measured.
// Run: npx tsx apps/ingest-api/src/ingest-api.bench.ts
import { gzipSync } from 'node:zlib';
import { generateEvents } from '@shardline/schema/testing';
import { BATCH, NDJSON } from './constants';
import { ingestRequest, type IngestRules } from './ingestRequest';
import { httpEvent } from './test-helpers/httpEvent';

/** What one case of {@link benchIngestApi} measured. */
export interface IngestBenchResult {
  case: string;
  events: number;
  /** Body bytes as sent (gzip when compressed). */
  bodyBytes: number;
  /** Median of the timed rounds, in milliseconds per request. */
  medianMs: number;
  /** Events per second of one core at the median. */
  eventsPerSec: number;
}

const rules: IngestRules = {
  maxBodyBytes: 4_194_304,
  maxInflatedBytes: 16_777_216,
  maxEvents: 500,
  maxEventBytes: 262_144,
  partitionKey: ['data.userId', 'id'],
};

/**
 * Times `ingestRequest` on NDJSON and batch bodies of `events` events, plain and gzip (median of `rounds`).
 *
 * @example
 * ```ts
 * const results = await benchIngestApi(500);
 * ```
 */
export async function benchIngestApi(events: number, rounds = 30): Promise<IngestBenchResult[]> {
  const fixtures = generateEvents({ count: events, seed: 3 }).map((g) => g.event);
  const ndjson = fixtures.map((e) => JSON.stringify(e)).join('\n');
  const cases = [
    {
      name: `ndjson x${events}`,
      event: httpEvent(ndjson, { headers: { 'content-type': NDJSON } }),
      bytes: ndjson.length,
    },
    {
      name: `ndjson+gzip x${events}`,
      event: httpEvent(ndjson, { gzip: true, headers: { 'content-type': NDJSON } }),
      bytes: gzipSync(ndjson).byteLength,
    },
    {
      name: `batch+gzip x${events}`,
      event: httpEvent(JSON.stringify(fixtures), { gzip: true, headers: { 'content-type': BATCH } }),
      bytes: gzipSync(JSON.stringify(fixtures)).byteLength,
    },
  ];
  const results: IngestBenchResult[] = [];
  for (const c of cases) {
    const times: number[] = [];
    for (let round = 0; round < rounds + 5; round++) {
      const started = process.hrtime.bigint();
      const { stats } = await ingestRequest(c.event, rules, { put: () => Promise.resolve([]) });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (stats.accepted !== events) throw new Error(`${c.name}: accepted ${stats.accepted} of ${events}`);
      if (round >= 5) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const medianMs = times[Math.floor(times.length / 2)]!;
    results.push({
      case: c.name,
      events,
      bodyBytes: c.bytes,
      medianMs,
      eventsPerSec: Math.round((events / medianMs) * 1000),
    });
  }
  return results;
}

if (require.main === module) {
  void (async () => {
    for (const size of [100, 500]) console.table(await benchIngestApi(size));
  })();
}
