import { checkDeliveries, noteAcknowledged } from './deliveries';

const record = (seq: number, shard = 'shardId-000000000000') => ({
  eventID: `${shard}:${seq}`,
  kinesis: { sequenceNumber: String(seq) },
});

describe('noteAcknowledged', () => {
  it('acknowledges the records before the first reported failure only', () => {
    // Prepare
    const acks = new Map<string, number>();

    // Act
    noteAcknowledged(acks, [record(1), record(2), record(3), record(4)], {
      batchItemFailures: [{ itemIdentifier: '3' }],
    });

    // Assess
    expect([...acks]).toEqual([
      ['shardId-000000000000:1', 1],
      ['shardId-000000000000:2', 1],
    ]);
  });

  it('acknowledges the whole batch when the response reports no failure', () => {
    // Prepare
    const acks = new Map<string, number>();

    // Act
    noteAcknowledged(acks, [record(1), record(2)], { batchItemFailures: [] });
    noteAcknowledged(acks, [record(2)], null);

    // Assess
    expect(acks.get('shardId-000000000000:1')).toBe(1);
    expect(acks.get('shardId-000000000000:2')).toBe(2);
  });
});

describe('checkDeliveries', () => {
  it('reports the stream records never acknowledged and the acknowledgements repeated', () => {
    // Prepare
    const stream = new Set(['s:1', 's:2', 's:3', 's:4']);
    const acks = new Map([
      ['s:1', 1],
      ['s:2', 3],
      ['s:4', 1],
    ]);

    // Act
    const check = checkDeliveries(stream, acks);

    // Assess
    expect(check).toEqual({ streamRecords: 4, acknowledged: 3, missing: 1, repeated: 2 });
  });

  it('passes a consumer that acknowledged every record exactly once', () => {
    // Act
    const check = checkDeliveries(
      new Set(['s:1', 's:2']),
      new Map([
        ['s:1', 1],
        ['s:2', 1],
      ]),
    );

    // Assess
    expect(check).toEqual({ streamRecords: 2, acknowledged: 2, missing: 0, repeated: 0 });
  });
});
