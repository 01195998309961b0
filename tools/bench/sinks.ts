// The sink consumers' CPU paths on enriched records, and the AWS calls each makes per batch: those calls are the
// pipeline's running cost (PutObject, UpdateItem, bulk requests), compared with writing once per record.
import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent } from '@shardline/records/testing';
import type { AdEvent, EnrichedEvent } from '@shardline/schema';
import type { KinesisStreamEvent } from 'aws-lambda';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures each app's own pure logic
import { benchDynamodbAggregator } from '../../apps/dynamodb-aggregator/src/dynamodb-aggregator.bench';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures each app's own pure logic
import { enrichEvent } from '../../apps/enrichment/src/enrich';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { serialiseEnriched } from '../../apps/enrichment/src/serialiseEnriched';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures each app's own pure logic
import { benchOpensearchIndexer } from '../../apps/opensearch-indexer/src/opensearch-indexer.bench';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures each app's own pure logic
import { benchS3Archiver } from '../../apps/s3-archiver/src/s3-archiver.bench';

/** Event times of the generated batch: fixed, so runs compare, and recent enough for every sink's range checks. */
export const BENCH_START = new Date('2026-11-01T12:00:00Z');

/** One benchmark line, as `--json` prints it. */
export interface BenchResult {
  name: string;
  records: number;
  ok: number;
  quarantined: number;
  medianMs: number;
  recordsPerSec: number;
  /** Median CPU time (user + system) of the process per round: steadier than wall time on a busy machine. */
  cpuMs?: number;
}

/** One sink's figures: a benchmark line plus its call counts. */
export interface SinkResult extends BenchResult {
  calls: number;
  callName: string;
  callsOnePerRecord: number;
}

/** Enriches the raw batch as the enrichment consumer would and decodes it as a sink's batch of the enriched stream. */
function enrichedBatch(raw: KinesisStreamEvent): DecodedRecord<EnrichedEvent>[] {
  const { records } = decodeBatch(raw);
  const campaign = { known: true, name: 'Winter Sale', advertiser: 'Example Games' };
  const arrival = BENCH_START.getTime() / 1000 + 60;
  const texts: Buffer[] = [];
  for (const r of records) {
    const p = r.payload as unknown as AdEvent;
    const changes = {
      originalTime: p.time,
      originalIp: p.data.ip,
      hadRevenue: p.data.revenueMicros !== undefined,
    };
    const e = enrichEvent(p, r.approximateArrivalTimestamp, campaign);
    if (e) texts.push(Buffer.from(serialiseEnriched(r.text, e, changes)));
  }
  // One batch of the enriched stream, arriving within one hour (one archive partition), as a mapping delivers it.
  const event = makeKinesisEvent(texts, { shardId: 1, partitionKey: (i) => `user-${i % 997}` });
  event.Records.forEach((rec, i) => {
    rec.kinesis.approximateArrivalTimestamp = arrival + i / 1000;
  });
  return decodeBatch(event).records as unknown as DecodedRecord<EnrichedEvent>[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function sinkBenchmarks(raw: KinesisStreamEvent, rounds: number): Promise<SinkResult[]> {
  const records = enrichedBatch(raw);
  const n = records.length;
  const line = (
    name: string,
    ms: number,
    calls: number,
    callName: string,
    onePerRecord: number,
  ): SinkResult => ({
    name,
    records: n,
    ok: n,
    quarantined: 0,
    medianMs: Number(ms.toFixed(3)),
    recordsPerSec: Math.round((n / ms) * 1000),
    calls,
    callName,
    callsOnePerRecord: onePerRecord,
  });
  benchS3Archiver(records);
  const nowMs = BENCH_START.getTime();
  benchDynamodbAggregator(records, { nowMs });
  const s3 = Array.from({ length: rounds }, () => benchS3Archiver(records));
  const ddb = Array.from({ length: rounds }, () => benchDynamodbAggregator(records, { nowMs }));
  const os = await benchOpensearchIndexer(records, { rounds });
  return [
    line('s3-archiver', median(s3.map((r) => r.ms)), s3[0]!.calls, 'PutObject', s3[0]!.callsOnePerRecord),
    line(
      'dynamodb-aggregator',
      median(ddb.map((r) => r.elapsedMs)),
      ddb[0]!.calls,
      'UpdateItem',
      ddb[0]!.callsOnePerRecord,
    ),
    line('opensearch-indexer', os.medianMs, os.calls, 'bulk requests', os.callsOnePerRecord),
  ];
}
