import {
  consumerNames as APPS,
  settingViolations,
  tuningSchema,
  type ConsumerName as App,
} from '@shardline/contract';
import { loadPrices } from './prices';
import { gridRows, kneeOf, recommend, toTuning, type EnvironmentSettings, type Workload } from './recommend';
import type { CellMeasurement } from './types';

const prices = loadPrices();

/**
 * Fake measurements with a known answer: 5 ms per batch plus, per record, 4 ms at 128 MB, 2 ms at 256 MB, then a
 * jump to 0.5 ms at 512 MB and almost nothing more after (0.48, 0.47): 512 MB is the knee, and below it a full
 * batch of 500 takes over a second, too slow for 600 records/s with 25 % headroom on one shard.
 */
const PER_RECORD_MS: Record<number, number> = { 128: 4, 256: 2, 512: 0.5, 1024: 0.48, 1769: 0.47 };

function cells(): CellMeasurement[] {
  const out: CellMeasurement[] = [];
  for (const consumer of APPS) {
    for (const memoryMB of Object.keys(PER_RECORD_MS).map(Number)) {
      for (const batchSize of [100, 500]) {
        const durationMs = 5 + PER_RECORD_MS[memoryMB]! * batchSize;
        out.push({
          consumer,
          memoryMB,
          batchSize,
          batches: 3,
          recordBytes: consumer === 'enrichment' ? 1024 : 1200,
          durationMsP50: durationMs,
          durationMsP99: durationMs * 1.2,
          recordsPerSecPerShard: batchSize / (durationMs / 1000),
          logBytesPerInvocation: 1000,
          callsPerBatch: consumer === 'dynamodb-aggregator' ? { 'dynamodb UpdateItem': batchSize / 10 } : {},
          metricCount: 5,
          errors: 0,
        });
      }
    }
  }
  return out;
}

const consumerSettings = (stream: 'raw' | 'enriched', batchSize: number, windowSeconds = 0) => ({
  stream,
  memorySize: 128,
  batchSize,
  windowSeconds,
  parallelizationFactor: 1,
  enhancedFanOut: false,
});

const settings: EnvironmentSettings = {
  env: 'dev',
  streams: {
    raw: { mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 },
    enriched: { mode: 'PROVISIONED', shardCount: 1, retentionHours: 24 },
  },
  consumers: {
    enrichment: consumerSettings('raw', 100),
    's3-archiver': consumerSettings('enriched', 500),
    'dynamodb-aggregator': consumerSettings('enriched', 1000, 5),
    'opensearch-indexer': consumerSettings('enriched', 100),
  },
  opensearch: {
    instanceType: 't3.small.search',
    instanceCount: 1,
    dedicatedMasterCount: 0,
    volumeSizeGb: 10,
  },
};

const workload: Workload = {
  eventsPerSec: 600,
  rawRecordBytes: 1024,
  enrichedRecordBytes: 1200,
  enrichedShare: 1,
};

describe('kneeOf', () => {
  it('finds the memory after which the next size shortens the duration by less than 10 %', () => {
    expect(kneeOf([128, 256, 512, 1024, 1769], [2005, 1005, 255, 245, 240])).toBe(512);
  });

  it('is the largest size when every step still helps', () => {
    expect(kneeOf([128, 256, 512], [400, 200, 100])).toBe(512);
  });
});

describe('recommend', () => {
  it('picks the knee, 512 MB, for every consumer: below it none keeps up, above it costs more', () => {
    // Act
    const rec = recommend(cells(), settings, workload, prices);

    // Assess
    expect(rec.feasible).toBe(true);
    for (const app of APPS) {
      expect(rec.consumers[app].kneeMB).toBe(512);
      expect(rec.consumers[app].memoryMB).toBe(512);
      expect(rec.consumers[app].verdict.keepsUp).toBe(true);
      expect(rec.consumers[app].verdict.headroom).toBeGreaterThanOrEqual(0.25);
    }
  });

  it('sizes the raw stream by its writes and the enriched one by the reads its three polling consumers share', () => {
    // Act
    const rec = recommend(cells(), settings, workload, prices);

    // Assess
    // raw: 600 x 1,024 B = 0.59 MiB/s, x 1.25 = 0.73 shard: 1 shard, one consumer
    expect(rec.streams.raw).toMatchObject({ mode: 'PROVISIONED', shards: 1 });
    // enriched: 3 polling consumers share 2 MiB/s per shard, 582 records of 1,200 B each per second, short of
    // 750 (600 x 1.25): 2 shards ($10.95 more) are cheaper than enhanced fan-out for three (~$34 each)
    expect(rec.streams.enriched).toMatchObject({ mode: 'PROVISIONED', shards: 2 });
    expect(rec.consumers['s3-archiver'].enhancedFanOut).toBe(false);
    // the aggregator keeps the pipeline module's floor of 1,000
    expect(rec.consumers['dynamodb-aggregator'].batchSize).toBeGreaterThanOrEqual(1000);
    for (const app of ['enrichment', 's3-archiver', 'dynamodb-aggregator'] as App[]) {
      expect(rec.consumers[app].parallelizationFactor).toBe(1);
    }
    // on-demand: $29.20 a month for the stream alone, against $10.95 for one shard
    const raw = (mode: string) => rec.alternatives.find((a) => a.stream === 'raw' && a.mode === mode)!;
    expect(raw('ON_DEMAND').monthlyUsd).toBeGreaterThan(raw('PROVISIONED').monthlyUsd);
  });

  it('raises the indexer parallelization factor, never the others, when shards cannot grow cheaper', () => {
    // Prepare: the indexer alone is slow (per record 10x), the others as before
    const slow = cells().map((c) =>
      c.consumer === 'opensearch-indexer' ? { ...c, durationMsP50: c.durationMsP50 * 10 } : c,
    );

    // Act
    const rec = recommend(slow, settings, workload, prices);

    // Assess
    expect(rec.consumers['opensearch-indexer'].parallelizationFactor).toBeGreaterThan(1);
    expect(rec.consumers['s3-archiver'].parallelizationFactor).toBe(1);
    expect(rec.consumers['opensearch-indexer'].verdict.keepsUp).toBe(true);
  });

  it('writes a tuning variable the contract accepts, within every limit', () => {
    // Act
    const tuning = toTuning(recommend(cells(), settings, workload, prices));

    // Assess
    expect(tuningSchema.safeParse(tuning).error?.issues ?? []).toEqual([]);
    expect(settingViolations('dev', tuning)).toEqual([]);
    expect(tuning.streams?.raw).toEqual({ mode: 'PROVISIONED', shard_count: 1 });
    expect(tuning.consumers?.['dynamodb-aggregator']).toMatchObject({
      memory_size: 512,
      maximum_batching_window_in_seconds: 5,
      parallelization_factor: 1,
      enhanced_fan_out: false,
    });
  });
});

describe('gridRows', () => {
  it('evaluates every cell with the declared settings: below 512 MB enrichment falls behind', () => {
    // Act
    const rows = gridRows(cells(), settings, workload, prices).filter((r) => r.consumer === 'enrichment');

    // Assess
    const at = (memoryMB: number, batchSize: number) =>
      rows.find((r) => r.memoryMB === memoryMB && r.batchSize === batchSize)!;
    // 128 MB, batch 100: 405 ms per batch, 247 records/s per shard against 600
    expect(at(128, 100)).toMatchObject({ durationMsP50: 405, recordsPerSecPerShard: 247, keepsUp: false });
    // 512 MB, batch 500: 255 ms, 1,961 records/s
    expect(at(512, 500)).toMatchObject({ recordsPerSecPerShard: 1961, keepsUp: true });
    expect(at(512, 500).costPerMillionUsd).toBeGreaterThan(0);
  });
});
