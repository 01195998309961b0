import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { aggregateRecords } from './aggregateRecords';
import { decodeRecord, isRejected } from './decodeRecord';
import { makeKinesisRecord } from './makeKinesisRecord';
import { jsonObject, partitionKey } from './test-helpers/arbitraries';
import type { DecodedRecord, DecodeLimits, RejectedRecord, RejectReason } from './types';

const REASONS: readonly RejectReason[] = [
  'DATA_NOT_BASE64',
  'EMPTY_RECORD',
  'RECORD_TOO_LARGE',
  'GZIP_INVALID',
  'GZIP_TOO_LARGE',
  'KPL_INVALID',
  'KPL_CHECKSUM_MISMATCH',
  'UTF8_INVALID',
  'JSON_INVALID',
  'JSON_TOO_DEEP',
  'JSON_FORBIDDEN_KEY',
  'JSON_NOT_OBJECT',
];
const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Normalises a value the way a JSON round trip does. */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Object.values(value as object);
  return 1 + children.reduce((max: number, child) => Math.max(max, depthOf(child)), 0);
}

/** The invariants every decoded result must hold, whatever the input. */
function assertWithinContract(
  results: Array<DecodedRecord | RejectedRecord>,
  data: string,
  limits: Required<Pick<DecodeLimits, 'maxRecordBytes' | 'maxDepth'>>,
): void {
  expect(results.length).toBeGreaterThan(0);
  for (const result of results) {
    if (isRejected(result)) {
      expect(REASONS).toContain(result.reason);
      expect(result.message.length).toBeGreaterThan(0);
      expect(result.data).toBe(data);
    } else {
      expect(result.size).toBeLessThanOrEqual(limits.maxRecordBytes);
      expect(Buffer.byteLength(result.text)).toBe(result.size);
      expect(Array.isArray(result.payload)).toBe(false);
      expect(typeof result.payload).toBe('object');
      expect(depthOf(result.payload)).toBeLessThanOrEqual(limits.maxDepth);
    }
  }
}

const limitsArb = fc.record({
  maxRecordBytes: fc.integer({ min: 1, max: 4096 }),
  maxDepth: fc.integer({ min: 1, max: 40 }),
});

describe('decodeRecord round trips', () => {
  it('gives back any JSON object sent as plain JSON', () => {
    fc.assert(
      fc.property(jsonObject, partitionKey, (payload, key) => {
        // Prepare
        const record = makeKinesisRecord(payload, { partitionKey: key });

        // Act
        const [result] = decodeRecord(record);

        // Assess
        const decoded = result as DecodedRecord;
        expect(isRejected(decoded)).toBe(false);
        expect(decoded.payload).toEqual(viaJson(payload));
        expect(decoded.text).toBe(JSON.stringify(payload));
        expect(decoded.partitionKey).toBe(key);
      }),
    );
  });

  it('gives back any JSON object sent as gzip JSON', () => {
    fc.assert(
      fc.property(jsonObject, (payload) => {
        // Prepare
        const record = makeKinesisRecord(gzipSync(JSON.stringify(payload)));

        // Act
        const [result] = decodeRecord(record);

        // Assess
        expect((result as DecodedRecord).payload).toEqual(viaJson(payload));
      }),
    );
  });

  it('gives back every sub-record of a KPL aggregated record with its partition key and position', () => {
    const entry = fc.record({ partitionKey, payload: jsonObject, gzip: fc.boolean() });
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        // Prepare
        const data = aggregateRecords(
          entries.map((e) => ({
            partitionKey: e.partitionKey,
            data: e.gzip ? gzipSync(JSON.stringify(e.payload)) : Buffer.from(JSON.stringify(e.payload)),
          })),
        );

        // Act
        const results = decodeRecord(makeKinesisRecord(data, { partitionKey: 'outer' }));

        // Assess
        expect(
          results.map((r) => [r.subSequenceNumber, r.partitionKey, (r as DecodedRecord).payload]),
        ).toEqual(entries.map((e, i) => [i, e.partitionKey, viaJson(e.payload)]));
      }),
    );
  });
});

describe('decodeRecord on hostile input', () => {
  it('never throws and keeps its contract for arbitrary bytes, bare or behind gzip or KPL magic', () => {
    const prefix = fc.constantFrom(Buffer.alloc(0), GZIP_MAGIC, KPL_MAGIC, Buffer.from('{"a":'));
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 600 }), limitsArb, (head, tail, limits) => {
        // Prepare
        const record = makeKinesisRecord(Buffer.concat([head, tail]));

        // Act
        const results = decodeRecord(record, limits);

        // Assess
        assertWithinContract(results, record.kinesis.data, limits);
        const [result] = results;
        if (head !== GZIP_MAGIC && head !== KPL_MAGIC && result !== undefined && !isRejected(result)) {
          expect(Buffer.from(result.text, 'utf8').equals(Buffer.concat([head, tail]))).toBe(true);
        }
      }),
    );
  });

  it('never throws for truncated or corrupted gzip', () => {
    fc.assert(
      fc.property(
        jsonObject,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (payload, cut, at, flip) => {
          // Prepare
          const gzip = Buffer.from(gzipSync(JSON.stringify(payload)));
          const corrupted = Buffer.from(gzip.subarray(0, 2 + (cut % (gzip.length - 1))));
          const index = 2 + (at % Math.max(1, corrupted.length - 2));
          if (index < corrupted.length) corrupted[index] = (corrupted[index] as number) ^ flip;
          const record = makeKinesisRecord(corrupted);

          // Act
          const results = decodeRecord(record);

          // Assess
          assertWithinContract(results, record.kinesis.data, { maxRecordBytes: 262144, maxDepth: 32 });
        },
      ),
    );
  });

  it('never throws for corrupted KPL records, with or without a matching checksum', () => {
    const entries = fc.array(fc.record({ partitionKey, payload: jsonObject }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(
        entries,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        fc.boolean(),
        (list, flips, cut, fixChecksum) => {
          // Prepare
          const full = aggregateRecords(
            list.map((e) => ({ partitionKey: e.partitionKey, data: Buffer.from(JSON.stringify(e.payload)) })),
          );
          const body = Buffer.from(full.subarray(4, full.length - 16));
          for (const [at, flip] of flips) body[at % body.length] = (body[at % body.length] as number) ^ flip;
          const truncated = body.subarray(0, body.length - (cut % 3 === 0 ? cut % body.length : 0));
          const digest = fixChecksum
            ? createHash('md5').update(truncated).digest()
            : full.subarray(full.length - 16);
          const record = makeKinesisRecord(Buffer.concat([KPL_MAGIC, truncated, digest]));

          // Act
          const results = decodeRecord(record);

          // Assess
          assertWithinContract(results, record.kinesis.data, { maxRecordBytes: 262144, maxDepth: 32 });
          if (!fixChecksum && (flips.length > 0 || truncated.length < body.length)) {
            expect(results).toEqual([expect.objectContaining({ reason: 'KPL_CHECKSUM_MISMATCH' })]);
          }
        },
      ),
    );
  });

  it('rejects a data string as DATA_NOT_BASE64 exactly when it is not padded base64', () => {
    const strictBase64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}==|[A-Za-z0-9+/_-]{3}=)?$/;
    const chars = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ !.\n'.split(''),
    );
    const data = fc.oneof(
      fc.string({ unit: chars, minLength: 1, maxLength: 40 }),
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => Buffer.from(b).toString('base64')),
    );
    fc.assert(
      fc.property(data, (text) => {
        // Prepare
        const record = makeKinesisRecord(text, { rawBase64: true });

        // Act
        const results = decodeRecord(record);

        // Assess
        assertWithinContract(results, text, { maxRecordBytes: 262144, maxDepth: 32 });
        const notBase64 = results.some((r) => isRejected(r) && r.reason === 'DATA_NOT_BASE64');
        expect(notBase64).toBe(!strictBase64.test(text));
      }),
      { numRuns: 2000 },
    );
  });
});
