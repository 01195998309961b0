import { gunzipSync } from 'node:zlib';
import { KinesisBatch } from '@shardline/middleware';
import type { DecodedRecord } from '@shardline/records';
import type { EnrichedEvent } from '@shardline/schema';
import { archiveBatch } from './archiveBatch';
import { enrichedEvents, FIRST_SEQUENCE_NUMBER, shardRecords } from './test-helpers/enrichedEvents';
import { MemoryS3 } from './test-helpers/memoryS3';

const HOUR_START = 1704070800;
const seq = (i: number): string => (FIRST_SEQUENCE_NUMBER + BigInt(i)).toString();

function batchOf(records: DecodedRecord<EnrichedEvent>[], signal?: AbortSignal): KinesisBatch<EnrichedEvent> {
  return new KinesisBatch({ consumer: 's3-archiver', records, rejected: [], ...(signal ? { signal } : {}) });
}

describe('archiveBatch', () => {
  // Records 0..3 arrive in hour 00, 4..9 in hour 01: two objects.
  const records = shardRecords(enrichedEvents(10), { arrival: (i) => HOUR_START - 4 + i });
  const deps = { bucket: 'archive', prefix: 'events', maxObjectBytes: 1024 * 1024 };

  it('writes one object per hour with the record count and sequence range as metadata', async () => {
    // Prepare
    const s3 = new MemoryS3();
    const batch = batchOf(records);

    // Act
    await archiveBatch(batch, { ...deps, s3 });

    // Assess
    expect(s3.calls.map((c) => [c.Key, c.Metadata])).toEqual([
      [
        `events/dt=2024-01-01/hour=00/shardId-000000000000-${seq(0)}.ndjson.gz`,
        { 'record-count': '4', 'first-sequence-number': seq(0), 'last-sequence-number': seq(3) },
      ],
      [
        `events/dt=2024-01-01/hour=01/shardId-000000000000-${seq(4)}.ndjson.gz`,
        { 'record-count': '6', 'first-sequence-number': seq(4), 'last-sequence-number': seq(9) },
      ],
    ]);
    expect(s3.lines()).toEqual(records.map((r) => r.text));
    expect(batch.itemFailures({ timedOut: true })).toEqual([]);
  });

  it('asks for SSE-S3 by default and SSE-KMS with a bucket key when a key is configured', async () => {
    // Prepare
    const plain = new MemoryS3();
    const kms = new MemoryS3();

    // Act
    await archiveBatch(batchOf(records.slice(0, 1)), { ...deps, s3: plain });
    await archiveBatch(batchOf(records.slice(0, 1)), {
      ...deps,
      s3: kms,
      kmsKeyId: 'alias/shardline-archive',
    });

    // Assess
    expect(plain.calls[0]).toMatchObject({ ServerSideEncryption: 'AES256' });
    expect(plain.calls[0]).not.toHaveProperty('SSEKMSKeyId');
    expect(kms.calls[0]).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/shardline-archive',
      BucketKeyEnabled: true,
    });
  });

  it('leaves the SDK default integrity checksum on and sends gzip NDJSON', async () => {
    // Prepare
    const s3 = new MemoryS3();

    // Act
    await archiveBatch(batchOf(records.slice(0, 2)), { ...deps, s3 });

    // Assess
    const call = s3.calls[0];
    expect(call).not.toHaveProperty('ChecksumAlgorithm');
    expect(call).toMatchObject({ ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' });
    expect(gunzipSync(call?.Body as Uint8Array).toString()).toBe(
      `${records[0]?.text}\n${records[1]?.text}\n`,
    );
  });

  it('fails the records of a failed object and of every later one without trying them', async () => {
    // Prepare: the first object fails
    const s3 = new MemoryS3((_input, call) => (call === 0 ? 'fail' : 'ok'));
    const batch = batchOf(records);

    // Act
    await archiveBatch(batch, { ...deps, s3 });

    // Assess
    expect(s3.calls).toHaveLength(1);
    expect(batch.itemFailures()).toEqual(records.map((r) => r.sequenceNumber));
    expect([...batch.failures.values()][0]).toBe('InternalError (HTTP 500)');
  });

  it('completes the objects written before a failure', async () => {
    // Prepare: the second object fails
    const s3 = new MemoryS3((_input, call) => (call === 1 ? 'fail' : 'ok'));
    const batch = batchOf(records);
    const failed: string[] = [];

    // Act
    await archiveBatch(batch, { ...deps, s3, onFailure: (plan) => failed.push(plan.key) });

    // Assess: the mapping resumes at the first record of the second object
    expect(batch.itemFailures({ timedOut: true })[0]).toBe(seq(4));
    expect(batch.itemFailures()).toHaveLength(6);
    expect(failed).toEqual([`events/dt=2024-01-01/hour=01/shardId-000000000000-${seq(4)}.ndjson.gz`]);
  });

  it('starts no write once the timeout guard has fired', async () => {
    // Prepare
    const s3 = new MemoryS3();
    const controller = new AbortController();
    controller.abort();
    const batch = batchOf(records, controller.signal);

    // Act
    await archiveBatch(batch, { ...deps, s3 });

    // Assess
    expect(s3.calls).toHaveLength(0);
    expect(batch.itemFailures({ timedOut: true })).toHaveLength(10);
  });
});
