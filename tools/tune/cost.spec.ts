import {
  consumerCost,
  firehoseArchiveCost,
  openSearchCost,
  pipelineCost,
  streamCost,
  type ConsumerPlan,
} from './cost';
import { loadPrices } from './prices';

// Every expected figure below is worked out by hand from tools/tune/prices.json (us-east-1, arm64). A month is
// 730 h = 2,628,000 s; 1,000 records/s for a month is 2,628,000,000 records; GB = 2^30 bytes.
const prices = loadPrices();

const enrichment: ConsumerPlan = {
  consumer: 'enrichment',
  memoryMB: 512,
  recordsPerSec: 1000,
  recordBytes: 1024,
  realBatch: 100,
  durationMs: 200,
  callsPerBatch: { 'dynamodb UpdateItem': 2, 'sqs SendMessageBatch': 0.5 },
  logBytesPerInvocation: 2048,
  metricCount: 4,
  enhancedFanOut: false,
  streamMode: 'PROVISIONED',
  shards: 1,
};

describe('streamCost', () => {
  it('prices a provisioned stream by shard-hours and 25 KB PUT payload units', () => {
    // 1 shard x 730 h x $0.015 = $10.95; 2,628 M records x 1 unit (1 KB <= 25 KB) x $0.014/M = $36.792
    const usd = streamCost(
      {
        mode: 'PROVISIONED',
        shards: 1,
        retentionHours: 24,
        recordsPerSec: 1000,
        recordBytes: 1024,
        standardConsumers: 1,
      },
      prices,
    );
    expect(usd).toBeCloseTo(47.742, 3);
  });

  it('counts a 30 KB record as two PUT payload units and adds extended retention beyond 24 h', () => {
    // 2 shards x 730 h = 1,460 shard-hours: x $0.015 = $21.90, retention 168 h: x $0.02 = $29.20;
    // 10 records/s = 26.28 M records x 2 units = 52.56 M x $0.014 = $0.73584
    const usd = streamCost(
      {
        mode: 'PROVISIONED',
        shards: 2,
        retentionHours: 168,
        recordsPerSec: 10,
        recordBytes: 30 * 1024,
        standardConsumers: 1,
      },
      prices,
    );
    expect(usd).toBeCloseTo(21.9 + 29.2 + 0.73584, 4);
  });

  it('prices an on-demand stream by stream-hours, GB in and GB out per standard consumer', () => {
    // 730 h x $0.04 = $29.20; 2,628 M x 1,024 B / 2^30 = 2,506.2561 GB in x $0.08 = $200.5005;
    // out to 3 polling consumers: 3 x 2,506.2561 x $0.04 = $300.7507; total $530.4512
    const usd = streamCost(
      {
        mode: 'ON_DEMAND',
        shards: 4,
        retentionHours: 24,
        recordsPerSec: 1000,
        recordBytes: 1000,
        standardConsumers: 3,
      },
      prices,
    );
    expect(usd).toBeCloseTo(530.4512, 3);
  });
});

describe('consumerCost', () => {
  it('prices Lambda requests and arm64 GB-seconds, DynamoDB writes, SQS requests, logs and metrics', () => {
    // Act
    const costs = consumerCost(enrichment, prices);

    // Assess
    // 1,000/s / 100 per batch = 10 invocations/s = 26.28 M/month: requests 26.28 x $0.20 = $5.256;
    // GB-s 26.28 M x 0.2 s x 0.5 GB = 2,628,000 x $0.0000133334 = $35.0402; Lambda $40.2962
    expect(costs.lambda).toBeCloseTo(40.2962, 3);
    // 2 UpdateItem per batch = 52.56 M WRU x $0.625/M = $32.85
    expect(costs.dynamodb).toBeCloseTo(32.85, 4);
    // 0.5 SendMessageBatch per batch = 13.14 M requests x $0.40/M = $5.256
    expect(costs.sqs).toBeCloseTo(5.256, 4);
    // 26.28 M x 2,048 B = 53,821,440,000 B / 2^30 = 50.1251 GB x $0.50 = $25.0626; 4 metrics x $0.30 = $1.20
    expect(costs.cloudwatch).toBeCloseTo(26.2626, 3);
    expect(costs.kinesis).toBe(0);
  });

  it('adds enhanced fan-out: consumer-shard-hours and GB pushed', () => {
    // 1 shard x 730 h x $0.015 = $10.95; 2,628 M x 1,024 B / 2^30 = 2,506.2561 GB x $0.013 = $32.5813
    const costs = consumerCost({ ...enrichment, enhancedFanOut: true }, prices);
    expect(costs.kinesis).toBeCloseTo(43.5313, 3);
  });

  it('prices S3 PUTs and a month of archive in S3 Standard', () => {
    // 1 PutObject per batch of 500: 1,000/500 = 2/s = 5.256 M PUTs / 1,000 x $0.005 = $26.28;
    // stored 200 B per record: 2,628 M x 200 B / 2^30 = 489.5031 GB x $0.023 = $11.2586
    const costs = consumerCost(
      {
        ...enrichment,
        consumer: 's3-archiver',
        realBatch: 500,
        callsPerBatch: { 's3 PutObject': 1 },
        storedBytesPerRecord: 200,
      },
      prices,
    );
    expect(costs.s3).toBeCloseTo(26.28 + 11.2586, 3);
  });
});

describe('openSearchCost', () => {
  it('prices the dev domain: one t3.small.search and 10 GB of gp3', () => {
    // 730 h x $0.036 = $26.28; 10 GB x $0.122 = $1.22
    expect(
      openSearchCost(
        { instanceType: 't3.small.search', instanceCount: 1, dedicatedMasterCount: 0, volumeSizeGb: 10 },
        prices,
      ),
    ).toBeCloseTo(27.5, 4);
  });

  it('prices the prod domain: three r6g.large.search, three m6g.large.search masters, 200 GB each', () => {
    // 3 x 730 x $0.167 = $365.73; 3 x 730 x $0.128 = $280.32; 3 x 200 GB x $0.122 = $73.20
    expect(
      openSearchCost(
        {
          instanceType: 'r6g.large.search',
          instanceCount: 3,
          dedicatedMasterType: 'm6g.large.search',
          dedicatedMasterCount: 3,
          volumeSizeGb: 200,
        },
        prices,
      ),
    ).toBeCloseTo(719.25, 4);
  });

  it('names the instance type the table has no price for', () => {
    expect(() =>
      openSearchCost(
        { instanceType: 'x9.huge.search', instanceCount: 1, dedicatedMasterCount: 0, volumeSizeGb: 10 },
        prices,
      ),
    ).toThrow(/x9\.huge\.search/);
  });
});

describe('firehoseArchiveCost', () => {
  it('rounds every record up to 5 KB for ingestion and prices dynamic partitioning per GB and object', () => {
    // Act
    const cost = firehoseArchiveCost(
      { recordsPerSec: 1000, recordBytes: 1400, storedBytesPerRecord: 200 },
      prices,
    );

    // Assess
    // 2,628 M records x 5,120 B / 2^30 = 12,531.2805 GB x $0.029 = $363.4071
    expect(cost.ingestUsd).toBeCloseTo(363.4071, 3);
    // 1,000 x 3,600 x 1,400 B = 5.04 GB an hour / 128 MiB = 37.55 -> 38 objects/h x 730 = 27,740 objects;
    // 2,628 M x 1,400 B / 2^30 = 3,426.5220 GB x $0.02 = $68.5304; 27.74 x $0.005 = $0.1387
    expect(cost.objectsPerMonth).toBe(27_740);
    expect(cost.dynamicPartitioningUsd).toBeCloseTo(68.5304 + 0.1387, 3);
    // PUTs 27.74 x $0.005 = $0.1387; storage 489.5031 GB x $0.023 = $11.2586
    expect(cost.s3Usd).toBeCloseTo(0.1387 + 11.2586, 3);
  });
});

describe('pipelineCost', () => {
  it('adds the parts by service and divides by the million events of the month', () => {
    // Act
    const cost = pipelineCost(
      {
        eventsPerSec: 1000,
        streams: [
          {
            mode: 'PROVISIONED',
            shards: 1,
            retentionHours: 24,
            recordsPerSec: 1000,
            recordBytes: 1024,
            standardConsumers: 1,
          },
        ],
        consumers: [enrichment],
        opensearch: {
          instanceType: 't3.small.search',
          instanceCount: 1,
          dedicatedMasterCount: 0,
          volumeSizeGb: 10,
        },
      },
      prices,
    );

    // Assess
    // kinesis 47.742 + lambda 40.2962 + dynamodb 32.85 + sqs 5.256 + cloudwatch 26.2626 + opensearch 27.50 = 179.9068
    expect(cost.byService.kinesis).toBeCloseTo(47.742, 3);
    expect(cost.monthlyUsd).toBeCloseTo(179.9068, 2);
    // 2,628 million events: $179.9068 / 2,628 = $0.068458 per million
    expect(cost.perMillionEventsUsd).toBeCloseTo(0.068458, 5);
  });
});
