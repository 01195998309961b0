import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { KinesisStreamEvent } from 'aws-lambda';
import { aggregateRecords } from './aggregateRecords';
import { DEFAULT_DECODE_LIMITS } from './constants';
import { decodeBatch, decodeRecord, isRejected } from './decodeRecord';
import { EventShapeError, RecordDecodeError } from './errors';
import { makeKinesisEvent, makeKinesisRecord } from './makeKinesisRecord';
import { gzipJson } from './test-helpers/gzip';
import type { DecodedRecord, DecodeLimits, RejectedRecord } from './types';

const SMALL_LIMITS: DecodeLimits = { maxRecordBytes: 64, maxDepth: 4 };

function decodeOne(data: Parameters<typeof makeKinesisRecord>[0], limits?: DecodeLimits, rawBase64 = false) {
  const record = makeKinesisRecord(data, { rawBase64, shardId: 6, partitionKey: 'pk-1' });
  const results = decodeRecord(record, limits);
  expect(results).toHaveLength(1);
  return { record, result: results[0] as DecodedRecord | RejectedRecord };
}

function expectRejected(result: DecodedRecord | RejectedRecord): RejectedRecord {
  if (!isRejected(result)) throw new Error(`expected a rejection, got payload ${result.text}`);
  return result;
}

function expectDecoded(result: DecodedRecord | RejectedRecord): DecodedRecord {
  if (isRejected(result)) throw new Error(`expected a payload, got ${result.reason}: ${result.message}`);
  return result;
}

/** Rebuilds a KPL record around a (possibly corrupted) protobuf body with a matching checksum. */
function withValidChecksum(body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([0xf3, 0x89, 0x9a, 0xc2]),
    body,
    createHash('md5').update(body).digest(),
  ]);
}

describe('decodeRecord, plain JSON', () => {
  it('decodes a JSON object together with where it came from', () => {
    // Prepare
    const record = makeKinesisRecord(
      { type: 'com.example.ad.click', data: { userId: 'u1' } },
      {
        shardId: 6,
        sequenceNumber: '4959001',
        partitionKey: 'user-1',
        approximateArrivalTimestamp: 1545084650.987,
      },
    );

    // Act
    const [result] = decodeRecord(record);

    // Assess
    expect(result).toStrictEqual({
      shardId: 'shardId-000000000006',
      sequenceNumber: '4959001',
      subSequenceNumber: undefined,
      partitionKey: 'user-1',
      approximateArrivalTimestamp: 1545084650.987,
      eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/shardline-raw',
      payload: { type: 'com.example.ad.click', data: { userId: 'u1' } },
      text: '{"type":"com.example.ad.click","data":{"userId":"u1"}}',
      size: 54,
    });
  });

  it('keeps the decoded text exactly as sent, including whitespace and multi-byte characters', () => {
    // Prepare
    const text = ' { "city" : "Zürich 🏔" }\n';

    // Act
    const { result } = decodeOne(text);

    // Assess
    const decoded = expectDecoded(result);
    expect(decoded.text).toBe(text);
    expect(decoded.size).toBe(Buffer.byteLength(text));
    expect(decoded.payload).toEqual({ city: 'Zürich 🏔' });
  });

  it('accepts values that merely mention forbidden words', () => {
    // Prepare
    const payload = { note: 'constructor prototype __proto__', list: ['__proto__'] };

    // Act
    const { result } = decodeOne(payload);

    // Assess
    expect(expectDecoded(result).payload).toEqual(payload);
  });
});

describe('decodeRecord, rejections', () => {
  it.each([
    [
      'characters outside the alphabet',
      '!!!!',
      'data holds characters outside the base64 alphabet or misplaced padding',
    ],
    ['a length that is not a multiple of 4', 'eyJ9Q', 'base64 data length 5 is not a multiple of 4'],
    [
      'misplaced padding',
      'QQ==QUJD',
      'data holds characters outside the base64 alphabet or misplaced padding',
    ],
    [
      'too much padding',
      'QUJD====',
      'data holds characters outside the base64 alphabet or misplaced padding',
    ],
    ['whitespace', 'eyJh IjoxfQ=', 'data holds characters outside the base64 alphabet or misplaced padding'],
  ])('rejects data with %s as DATA_NOT_BASE64', (_case, data, message) => {
    // Act
    const { result } = decodeOne(data, undefined, true);

    // Assess
    const rejected = expectRejected(result);
    expect(rejected.reason).toBe('DATA_NOT_BASE64');
    expect(rejected.message).toBe(message);
  });

  it('rejects a record whose data is not a string as DATA_NOT_BASE64', () => {
    // Prepare
    const record = makeKinesisRecord({ a: 1 });
    (record.kinesis as { data: unknown }).data = 42;

    // Act
    const [result] = decodeRecord(record);

    // Assess
    expect(expectRejected(result as RejectedRecord).message).toBe('data is number, not a base64 string');
  });

  it('rejects empty data as EMPTY_RECORD', () => {
    // Act
    const { result } = decodeOne('', undefined, true);

    // Assess
    expect(expectRejected(result)).toMatchObject({ reason: 'EMPTY_RECORD', message: 'record data is empty' });
  });

  it('accepts a record of exactly maxRecordBytes and rejects one byte more as RECORD_TOO_LARGE', () => {
    // Prepare
    const exact = `{"a":"${'x'.repeat(SMALL_LIMITS.maxRecordBytes - 8)}"}`;
    const over = `{"a":"${'x'.repeat(SMALL_LIMITS.maxRecordBytes - 7)}"}`;

    // Act
    const accepted = decodeOne(exact, SMALL_LIMITS).result;
    const rejected = decodeOne(over, SMALL_LIMITS).result;

    // Assess
    expect(expectDecoded(accepted).size).toBe(64);
    expect(expectRejected(rejected)).toMatchObject({
      reason: 'RECORD_TOO_LARGE',
      message: 'decoded record of 65 bytes exceeds 64 bytes',
    });
  });

  it('rejects data above maxDataBytes as RECORD_TOO_LARGE before decoding it', () => {
    // Prepare
    const data = Buffer.alloc(2 * 1024 * 1024, 0x20).toString('base64');

    // Act
    const { result } = decodeOne(data, DEFAULT_DECODE_LIMITS, true);

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'RECORD_TOO_LARGE',
      message: 'record data of 2097152 bytes exceeds 1048576 bytes',
    });
  });

  it('rejects invalid UTF-8 as UTF8_INVALID instead of replacing it', () => {
    // Act
    const { result } = decodeOne(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'UTF8_INVALID',
      message: 'decoded record of 9 bytes is not valid UTF-8',
    });
  });

  it('accepts a genuine U+FFFD replacement character sent as valid UTF-8', () => {
    // Act
    const { result } = decodeOne('{"name":"\uFFFD"}');

    // Assess
    expect(expectDecoded(result).payload).toEqual({ name: '\uFFFD' });
  });

  it('rejects malformed JSON as JSON_INVALID with the parser message', () => {
    // Act
    const { result } = decodeOne('{"a":}');

    // Assess
    const rejected = expectRejected(result);
    expect(rejected.reason).toBe('JSON_INVALID');
    expect(rejected.message).toMatch(/^invalid JSON: Unexpected token/);
  });

  it.each([
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"text"'],
    ['a boolean', 'true'],
  ])('rejects %s as JSON_NOT_OBJECT', (kind, text) => {
    // Act
    const { result } = decodeOne(text);

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'JSON_NOT_OBJECT',
      message: `JSON value is ${kind}, expected an object`,
    });
  });

  it('accepts nesting of exactly maxDepth and rejects one level more as JSON_TOO_DEEP', () => {
    // Prepare
    const nest = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);

    // Act
    const accepted = decodeOne(nest(4), SMALL_LIMITS).result;
    const rejected = decodeOne('{"a":[[{"b":[]}]]}', SMALL_LIMITS).result;

    // Assess
    expectDecoded(accepted);
    expect(expectRejected(rejected)).toMatchObject({
      reason: 'JSON_TOO_DEEP',
      message: 'JSON nesting exceeds depth 4 at character 12',
    });
  });

  it('does not count brackets inside strings as nesting', () => {
    // Prepare
    const text = JSON.stringify({ a: '[[[[{{{{"\\', b: ['{', '['] });

    // Act
    const { result } = decodeOne(text, SMALL_LIMITS);

    // Assess
    expect(expectDecoded(result).payload).toEqual({ a: '[[[[{{{{"\\', b: ['{', '['] });
  });

  it('rejects very deep nesting without parsing it', () => {
    // Prepare
    const text = '['.repeat(100_000) + ']'.repeat(100_000);

    // Act
    const { result } = decodeOne(text, { maxRecordBytes: 300_000, maxDepth: 32 });

    // Assess
    expect(expectRejected(result)).toMatchObject({ reason: 'JSON_TOO_DEEP' });
  });

  it.each([
    ['__proto__', '{"a":1,"__proto__":{"polluted":true}}', '$'],
    ['constructor', '{"a":{"constructor":{"prototype":{}}}}', '$.a'],
    ['prototype', '{"list":[{"x":1},{"prototype":1}]}', '$.list[1]'],
    ['__proto__', '{"\\u005f_proto__":{"polluted":true}}', '$'],
    ['constructor', '{"odd key":{"\\u0063onstructor":1}}', '$["odd key"]'],
  ])('rejects an object key %s as JSON_FORBIDDEN_KEY (%s)', (key, text, path) => {
    // Act
    const { result } = decodeOne(text);

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'JSON_FORBIDDEN_KEY',
      message: `forbidden key "${key}" in object at ${path}`,
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps the original base64 data and origin on a rejection', () => {
    // Prepare
    const record = makeKinesisRecord('not json', { shardId: 2, sequenceNumber: '77', partitionKey: 'k' });

    // Act
    const [result] = decodeRecord(record);

    // Assess
    expect(result).toStrictEqual({
      shardId: 'shardId-000000000002',
      sequenceNumber: '77',
      subSequenceNumber: undefined,
      partitionKey: 'k',
      approximateArrivalTimestamp: record.kinesis.approximateArrivalTimestamp,
      eventSourceARN: record.eventSourceARN,
      reason: 'JSON_INVALID',
      message: expect.stringMatching(/^invalid JSON: /),
      data: record.kinesis.data,
    });
  });
});

describe('decodeRecord, gzip', () => {
  it('inflates gzip-compressed JSON and reports the inflated size', () => {
    // Prepare
    const payload = { type: 'com.example.ad.install', data: { userId: 'u9' } };

    // Act
    const { result } = decodeOne(gzipJson(payload));

    // Assess
    const decoded = expectDecoded(result);
    expect(decoded.payload).toEqual(payload);
    expect(decoded.text).toBe(JSON.stringify(payload));
    expect(decoded.size).toBe(Buffer.byteLength(JSON.stringify(payload)));
  });

  it('rejects truncated gzip as GZIP_INVALID', () => {
    // Prepare
    const gzip = gzipJson({ a: 'b'.repeat(100) });

    // Act
    const { result } = decodeOne(gzip.subarray(0, gzip.length - 6));

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'GZIP_INVALID',
      message: 'gzip data is invalid: unexpected end of file',
    });
  });

  it('rejects a gzip bomb as GZIP_TOO_LARGE without inflating it', () => {
    // Prepare
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });

    // Act
    const { result } = decodeOne(bomb);

    // Assess
    expect(bomb.length).toBeLessThan(100_000);
    expect(expectRejected(result)).toMatchObject({
      reason: 'GZIP_TOO_LARGE',
      message: 'gzip output exceeds 262144 bytes',
    });
  });

  it('accepts gzip output of exactly maxInflateBytes', () => {
    // Prepare
    const text = `{"a":"${'x'.repeat(56)}"}`;
    const limits = { ...SMALL_LIMITS, maxInflateBytes: 64 };

    // Act
    const accepted = decodeOne(gzipSync(text), limits).result;
    const rejected = decodeOne(gzipSync(text + ' '), limits).result;

    // Assess
    expect(expectDecoded(accepted).size).toBe(64);
    expect(expectRejected(rejected).message).toBe('gzip output exceeds 64 bytes');
  });

  it('rejects gzip of nothing as EMPTY_RECORD', () => {
    // Act
    const { result } = decodeOne(gzipSync(Buffer.alloc(0)));

    // Assess
    expect(expectRejected(result)).toMatchObject({ reason: 'EMPTY_RECORD', message: 'gzip output is empty' });
  });
});

describe('decodeRecord, KPL aggregated records', () => {
  it('de-aggregates sub-records with their own partition keys and sub-sequence numbers', () => {
    // Prepare
    const data = aggregateRecords([
      { partitionKey: 'user-1', data: Buffer.from('{"n":0}') },
      { partitionKey: 'user-2', data: gzipJson({ n: 1 }), explicitHashKey: '12345' },
      { partitionKey: 'user-1', data: Buffer.from('{"n":2}') },
    ]);
    const record = makeKinesisRecord(data, { shardId: 1, sequenceNumber: '900', partitionKey: 'outer' });

    // Act
    const results = decodeRecord(record);

    // Assess
    expect(results.map((r) => [r.subSequenceNumber, r.partitionKey, expectDecoded(r).payload])).toEqual([
      [0, 'user-1', { n: 0 }],
      [1, 'user-2', { n: 1 }],
      [2, 'user-1', { n: 2 }],
    ]);
    expect(results.every((r) => r.sequenceNumber === '900' && r.shardId === 'shardId-000000000001')).toBe(
      true,
    );
  });

  it('rejects only the bad sub-record, keeping the parent data and its sub-sequence number', () => {
    // Prepare
    const data = aggregateRecords([
      { partitionKey: 'a', data: Buffer.from('{"ok":1}') },
      { partitionKey: 'b', data: Buffer.from('{broken') },
      { partitionKey: 'c', data: Buffer.from('{"ok":3}') },
    ]);
    const record = makeKinesisRecord(data);

    // Act
    const results = decodeRecord(record);

    // Assess
    expect(results.map((r) => isRejected(r))).toEqual([false, true, false]);
    expect(results[1]).toMatchObject({
      reason: 'JSON_INVALID',
      subSequenceNumber: 1,
      partitionKey: 'b',
      data: record.kinesis.data,
    });
  });

  it('rejects an aggregated record whose checksum does not match as KPL_CHECKSUM_MISMATCH', () => {
    // Prepare
    const data = aggregateRecords([{ partitionKey: 'a', data: Buffer.from('{"ok":1}') }]);
    data[data.length - 1] = (data[data.length - 1] as number) ^ 0xff;

    // Act
    const { result } = decodeOne(data);

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'KPL_CHECKSUM_MISMATCH',
      subSequenceNumber: undefined,
      message:
        'aggregated record: MD5 checksum of the aggregated record body does not match its trailing digest',
    });
  });

  it('rejects an aggregated record too short for its checksum as KPL_INVALID', () => {
    // Act
    const { result } = decodeOne(Buffer.from([0xf3, 0x89, 0x9a, 0xc2, 1, 2, 3]));

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'KPL_INVALID',
      message: 'aggregated record: aggregated record of 7 bytes is too short for magic and MD5 checksum',
    });
  });

  it('rejects a truncated protobuf body as KPL_INVALID', () => {
    // Prepare
    const full = aggregateRecords([{ partitionKey: 'a', data: Buffer.from('{"ok":1}') }]);
    const body = full.subarray(4, full.length - 16);

    // Act
    const { result } = decodeOne(withValidChecksum(body.subarray(0, body.length - 3)));

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'KPL_INVALID',
      message: expect.stringMatching(/runs past the end of the message$/),
    });
  });

  it('rejects only a sub-record whose partition key index is outside the table', () => {
    // Prepare: table ["a"], records [{pk 0, data {}}, {pk 5, data {}}]
    const body = Buffer.from([
      0x0a, 1, 0x61, 0x1a, 6, 0x08, 0, 0x1a, 2, 0x7b, 0x7d, 0x1a, 6, 0x08, 5, 0x1a, 2, 0x7b, 0x7d,
    ]);

    // Act
    const results = decodeRecord(makeKinesisRecord(withValidChecksum(body), { partitionKey: 'outer' }));

    // Assess
    expect(expectDecoded(results[0] as DecodedRecord).partitionKey).toBe('a');
    expect(results[1]).toMatchObject({
      reason: 'KPL_INVALID',
      subSequenceNumber: 1,
      partitionKey: 'outer',
      message: 'aggregated sub-record 1: partition_key_index 5 is outside the partition key table of 1',
    });
  });

  it('rejects an aggregated record without sub-records as EMPTY_RECORD', () => {
    // Act
    const { result } = decodeOne(aggregateRecords([]));

    // Assess
    expect(expectRejected(result)).toMatchObject({
      reason: 'EMPTY_RECORD',
      message: 'aggregated record holds no sub-records',
    });
  });

  it('rejects an empty sub-record as EMPTY_RECORD', () => {
    // Act
    const results = decodeRecord(
      makeKinesisRecord(aggregateRecords([{ partitionKey: 'a', data: Buffer.alloc(0) }])),
    );

    // Assess
    expect(results[0]).toMatchObject({ reason: 'EMPTY_RECORD', subSequenceNumber: 0 });
  });

  it('rejects gzip sub-records once the record exceeds its inflation budget', () => {
    // Prepare
    const text = `{"a":"${'x'.repeat(92)}"}`; // 100 bytes
    const entries = [0, 1, 2].map(() => ({ partitionKey: 'a', data: gzipSync(text) }));
    const limits = { maxRecordBytes: 1000, maxDepth: 4, maxInflateBytesPerRecord: 250 };

    // Act
    const results = decodeRecord(makeKinesisRecord(aggregateRecords(entries)), limits);

    // Assess
    expect(results.map((r) => isRejected(r))).toEqual([false, false, true]);
    expect(results[2]).toMatchObject({
      reason: 'GZIP_TOO_LARGE',
      message: 'gzip output exceeds the 250 bytes allowed per Kinesis record',
    });
  });
});

describe('decodeBatch', () => {
  it('splits decoded and rejected records, each in event order', () => {
    // Prepare
    const event = makeKinesisEvent([{ n: 0 }, 'oops', { n: 2 }, '[]'], { shardId: 3 });

    // Act
    const { records, rejected } = decodeBatch(event);

    // Assess
    expect(records.map((r) => r.payload)).toEqual([{ n: 0 }, { n: 2 }]);
    expect(rejected.map((r) => [r.reason, r.sequenceNumber])).toEqual([
      ['JSON_INVALID', event.Records[1]?.kinesis.sequenceNumber],
      ['JSON_NOT_OBJECT', event.Records[3]?.kinesis.sequenceNumber],
    ]);
    expect(records[0]?.shardId).toBe('shardId-000000000003');
  });

  it('parses the shard id of every record even when records of several shards are mixed', () => {
    // Prepare
    const event: KinesisStreamEvent = {
      Records: [makeKinesisRecord({ a: 1 }, { shardId: 1 }), makeKinesisRecord({ a: 2 }, { shardId: 12 })],
    };

    // Act
    const { records } = decodeBatch(event);

    // Assess
    expect(records.map((r) => r.shardId)).toEqual(['shardId-000000000001', 'shardId-000000000012']);
  });

  it('throws EventShapeError for an event that is not a Kinesis event', () => {
    // Act and assess
    expect(() => decodeBatch({} as KinesisStreamEvent)).toThrow(EventShapeError);
    expect(() => decodeBatch({ Records: [{ eventID: 'x' }] } as unknown as KinesisStreamEvent)).toThrow(
      'eventID "x" does not start with "shardId-<id>:"',
    );
  });

  it('refuses limits that are not positive integers', () => {
    // Act and assess
    expect(() => decodeBatch(makeKinesisEvent([{}]), { maxRecordBytes: 10, maxDepth: 0 })).toThrow(
      new RecordDecodeError('decode limit maxDepth must be a positive integer, got 0'),
    );
  });
});
