import { makeKinesisEvent, makeKinesisRecord } from './makeKinesisRecord';

describe('makeKinesisRecord', () => {
  it('builds the exact record shape Lambda delivers', () => {
    // Act
    const record = makeKinesisRecord(
      { a: 1 },
      {
        shardId: 6,
        sequenceNumber: '4959',
        partitionKey: '1',
        approximateArrivalTimestamp: 1545084650.987,
        region: 'us-east-2',
        streamName: 'lambda-stream',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
        encryptionType: 'KMS',
      },
    );

    // Assess
    expect(record).toStrictEqual({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: '1',
        sequenceNumber: '4959',
        data: Buffer.from('{"a":1}').toString('base64'),
        approximateArrivalTimestamp: 1545084650.987,
        encryptionType: 'KMS',
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: 'shardId-000000000006:4959',
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
      awsRegion: 'us-east-2',
      eventSourceARN: 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream',
    });
  });

  it('encodes bytes as they are, text as UTF-8 and raw base64 verbatim', () => {
    // Act
    const bytes = makeKinesisRecord(Uint8Array.of(0x1f, 0x8b)).kinesis.data;
    const text = makeKinesisRecord('ü').kinesis.data;
    const raw = makeKinesisRecord('@@', { rawBase64: true }).kinesis.data;

    // Assess
    expect([bytes, text, raw]).toEqual(['H4s=', 'w7w=', '@@']);
  });
});

describe('makeKinesisEvent', () => {
  it('numbers records of one shard in increasing sequence and arrival order', () => {
    // Act
    const event = makeKinesisEvent([{ a: 1 }, { a: 2 }, { a: 3 }], {
      shardId: 'shardId-000000000002',
      firstSequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      approximateArrivalTimestamp: 1700000000.999,
      partitionKey: (i) => `user-${i % 2}`,
    });

    // Assess
    expect(
      event.Records.map((r) => [r.eventID, r.kinesis.partitionKey, r.kinesis.approximateArrivalTimestamp]),
    ).toEqual([
      [
        'shardId-000000000002:49590338271490256608559692538361571095921575989136588898',
        'user-0',
        1700000000.999,
      ],
      ['shardId-000000000002:49590338271490256608559692538361571095921575989136588899', 'user-1', 1700000001],
      [
        'shardId-000000000002:49590338271490256608559692538361571095921575989136588900',
        'user-0',
        1700000001.001,
      ],
    ]);
  });
});
