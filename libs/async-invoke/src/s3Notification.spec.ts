import { InvalidNotificationConfigError } from './errors';
import {
  checkNotificationConfigs,
  createSequencer,
  encodeS3EventKey,
  matchesNotification,
  s3NotificationEvent,
  type CreatedObject,
} from './s3Notification';

const OBJECT: CreatedObject = {
  bucket: 'shardline-dev-inbox-000000000000',
  key: 'inbox/batch 1.ndjson.gz',
  size: 2048,
  eTag: '"d41d8cd98f00b204e9800998ecf8427e"',
  eventName: 'ObjectCreated:Put',
  eventTimeMs: Date.UTC(2026, 11, 1, 22, 0, 0, 123),
  sequencer: '0055AED6DCD90281E5',
  requestId: 'C3D13FE58DE4C810',
  sourceIPAddress: '127.0.0.1',
};

describe('encodeS3EventKey (keys in S3 events are form URL-encoded)', () => {
  it.each([
    ['inbox/a.ndjson', 'inbox/a.ndjson'],
    ['inbox/my file.ndjson', 'inbox/my+file.ndjson'],
    ['inbox/a+b.ndjson', 'inbox/a%2Bb.ndjson'],
    ['inbox/dt=2026-12-01/part-0.ndjson.gz', 'inbox/dt%3D2026-12-01/part-0.ndjson.gz'],
    ['inbox/(1) ~x&y?.ndjson', 'inbox/%281%29+%7Ex%26y%3F.ndjson'],
    ['inbox/café.ndjson', 'inbox/caf%C3%A9.ndjson'],
    ['inbox/50%.ndjson', 'inbox/50%25.ndjson'],
  ])('encodes %j as %j', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });

  it('round-trips through the decoding a handler applies', () => {
    const key = 'inbox/ a+b=c/ü %2B.ndjson';
    expect(decodeURIComponent(encodeS3EventKey(key).replaceAll('+', ' '))).toBe(key);
  });
});

describe('s3NotificationEvent (notification-content-structure, event version 2.1)', () => {
  it('builds the record S3 sends for a created object', () => {
    // Act
    const event = s3NotificationEvent(OBJECT, { id: 'import', events: ['s3:ObjectCreated:*'] }, 'eu-west-1');

    // Assess
    expect(event).toEqual({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'eu-west-1',
          eventTime: '2026-12-01T22:00:00.123Z',
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: expect.any(String) },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': expect.any(String) },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'import',
            bucket: {
              name: 'shardline-dev-inbox-000000000000',
              ownerIdentity: { principalId: expect.any(String) },
              arn: 'arn:aws:s3:::shardline-dev-inbox-000000000000',
            },
            object: {
              key: 'inbox/batch+1.ndjson.gz',
              size: 2048,
              eTag: 'd41d8cd98f00b204e9800998ecf8427e',
              sequencer: '0055AED6DCD90281E5',
            },
          },
        },
      ],
    });
  });

  it('carries the versionId of a versioned bucket only', () => {
    const versioned = s3NotificationEvent(
      { ...OBJECT, versionId: 'v1' },
      { id: 'i', events: ['s3:ObjectCreated:*'] },
      'us-east-1',
    );
    expect(versioned.Records[0].s3.object.versionId).toBe('v1');
    const plain = s3NotificationEvent(OBJECT, { id: 'i', events: ['s3:ObjectCreated:*'] }, 'us-east-1');
    expect(plain.Records[0].s3.object).not.toHaveProperty('versionId');
  });
});

describe('matchesNotification', () => {
  const config = {
    id: 'i',
    events: ['s3:ObjectCreated:*'],
    filter_prefix: 'inbox/',
    filter_suffix: '.ndjson.gz',
  };

  it.each([
    ['inbox/a.ndjson.gz', 'ObjectCreated:Put', true],
    ['inbox/a.ndjson.gz', 'ObjectCreated:CompleteMultipartUpload', true],
    ['other/a.ndjson.gz', 'ObjectCreated:Put', false],
    ['inbox/a.ndjson', 'ObjectCreated:Put', false],
  ] as const)('%s (%s) -> %s', (key, event, expected) => {
    expect(matchesNotification(config, event, key)).toBe(expected);
  });

  it('matches one event type when only that one is configured', () => {
    const putOnly = { id: 'p', events: ['s3:ObjectCreated:Put'] };
    expect(matchesNotification(putOnly, 'ObjectCreated:Put', 'k')).toBe(true);
    expect(matchesNotification(putOnly, 'ObjectCreated:CompleteMultipartUpload', 'k')).toBe(false);
  });

  it('compares filters with the encoded key (a space is "+" in a filter)', () => {
    const spaced = { id: 's', events: ['s3:ObjectCreated:*'], filter_prefix: 'drop+box/' };
    expect(matchesNotification(spaced, 'ObjectCreated:Put', 'drop box/a.ndjson')).toBe(true);
  });
});

describe('checkNotificationConfigs', () => {
  it('accepts two suffixes under one prefix', () => {
    expect(() =>
      checkNotificationConfigs([
        { id: 'plain', events: ['s3:ObjectCreated:*'], filter_prefix: 'inbox/', filter_suffix: '.ndjson' },
        { id: 'gzip', events: ['s3:ObjectCreated:*'], filter_prefix: 'inbox/', filter_suffix: '.ndjson.gz' },
      ]),
    ).not.toThrow();
  });

  it.each([
    [
      'overlapping prefixes',
      [
        { id: 'a', events: ['s3:ObjectCreated:*'], filter_prefix: 'inbox/' },
        { id: 'b', events: ['s3:ObjectCreated:Put'], filter_prefix: 'inbox/x/' },
      ],
      'Configurations overlap',
    ],
    [
      'a duplicate id',
      [
        { id: 'a', events: ['s3:ObjectCreated:*'] },
        { id: 'a', events: ['s3:ObjectCreated:Put'], filter_prefix: 'x' },
      ],
      "the id 'a'",
    ],
    [
      'an event not emulated',
      [{ id: 'a', events: ['s3:ObjectRemoved:*'] }],
      "event 's3:ObjectRemoved:*' is not emulated",
    ],
  ])('refuses %s', (_, configs, message) => {
    expect(() => checkNotificationConfigs(configs)).toThrow(InvalidNotificationConfigError);
    expect(() => checkNotificationConfigs(configs)).toThrow(message);
  });
});

describe('createSequencer', () => {
  it('gives growing upper-case hex strings of one length', () => {
    const next = createSequencer();
    const values = Array.from({ length: 1000 }, () => next());
    expect(new Set(values.map((v) => v.length)).size).toBe(1);
    expect(values.every((v) => /^[0-9A-F]+$/.test(v))).toBe(true);
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(values.length);
  });
});
