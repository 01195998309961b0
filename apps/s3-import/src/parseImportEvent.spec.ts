import { ImportEventError } from './errors';
import { decodeS3Key, parseImportEvent } from './parseImportEvent';

const inbox = { bucket: 'shardline-dev-inbox-123456789012', prefix: 'incoming' };
const ETAG = 'd41d8cd98f00b204e9800998ecf8427e';

const s3Event = (key: string, overrides: { bucket?: string; eTag?: string; eventName?: string } = {}) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: overrides.eventName ?? 'ObjectCreated:Put',
      s3: {
        bucket: { name: overrides.bucket ?? inbox.bucket },
        object: { key, size: 1024, eTag: overrides.eTag ?? ETAG, sequencer: '0A1B2C3D4E5F678901' },
      },
    },
  ],
});

describe('parseImportEvent', () => {
  it('decodes the URL-encoded key of an S3 notification, + for a space', () => {
    // Act
    const request = parseImportEvent(s3Event('incoming/day+1/caf%C3%A9%2Bx.ndjson.gz'), inbox);

    // Assess
    expect(request.rejected).toEqual([]);
    expect(request.targets).toEqual([
      {
        target: {
          bucket: inbox.bucket,
          key: 'incoming/day 1/café+x.ndjson.gz',
          etag: ETAG,
          size: 1024,
          hop: 0,
        },
      },
    ]);
  });

  it.each([
    ['another bucket', s3Event('incoming/a.ndjson', { bucket: 'someone-elses' }), 'is not the inbox bucket'],
    ['a key outside the prefix', s3Event('incomingx/a.ndjson'), "not under the inbox prefix 'incoming/'"],
    ['a relative segment', s3Event('incoming/../archive/a.ndjson'), 'relative path segment'],
    ['another suffix', s3Event('incoming/a.csv'), 'does not end with .ndjson or .ndjson.gz'],
    ['broken URL encoding', s3Event('incoming/%E0%A4%A.ndjson'), 'not valid URL encoding'],
    ['no ETag', s3Event('incoming/a.ndjson', { eTag: '' }), 'etag is missing or malformed'],
    [
      'a removal',
      s3Event('incoming/a.ndjson', { eventName: 'ObjectRemoved:Delete' }),
      'is not ObjectCreated',
    ],
  ])('refuses %s without reading it', (_, event, reason) => {
    // Act
    const request = parseImportEvent(event, inbox);

    // Assess
    expect(request.targets).toEqual([]);
    expect(request.rejected).toEqual([expect.objectContaining({ reason: expect.stringContaining(reason) })]);
  });

  it('reads a continuation with its checkpoint, and ignores the S3 test event', () => {
    // Prepare
    const checkpoint = { lines: 500, bytes: 123_456, done: false };

    // Act
    const request = parseImportEvent(
      {
        source: 'shardline.s3-import',
        continuation: { bucket: inbox.bucket, key: 'incoming/a.ndjson', etag: ETAG, hop: 2, checkpoint },
      },
      inbox,
    );

    // Assess
    expect(request.targets).toEqual([
      { target: { bucket: inbox.bucket, key: 'incoming/a.ndjson', etag: ETAG, hop: 2 }, carried: checkpoint },
    ]);
    expect(parseImportEvent({ Service: 'Amazon S3', Event: 's3:TestEvent' }, inbox)).toEqual({
      targets: [],
      rejected: [],
    });
  });

  it.each([
    ['a string', 'hello', 'not a JSON object'],
    ['an object of another shape', { detail: {} }, 'neither an S3 notification'],
    [
      'a continuation without a hop',
      { source: 'shardline.s3-import', continuation: { bucket: 'b', key: 'k', etag: ETAG, checkpoint: {} } },
      'hop',
    ],
    [
      'a continuation with a negative checkpoint',
      {
        source: 'shardline.s3-import',
        continuation: {
          bucket: 'b',
          key: 'k',
          etag: ETAG,
          hop: 1,
          checkpoint: { lines: -1, bytes: 0, done: false },
        },
      },
      'checkpoint',
    ],
  ])('fails on %s', (_, event, message) => {
    // Assess
    expect(() => parseImportEvent(event, inbox)).toThrow(ImportEventError);
    expect(() => parseImportEvent(event, inbox)).toThrow(message);
  });

  it('decodes keys as S3 encodes them', () => {
    // Assess
    expect(decodeS3Key('a+b%2Bc%2Fd')).toBe('a b+c/d');
    expect(decodeS3Key('%')).toBeUndefined();
  });
});
