import { createHash } from 'node:crypto';
import { aggregateRecords } from './aggregateRecords';
import { parseAggregatedRecord } from './parseAggregatedRecord';

describe('aggregateRecords', () => {
  it('writes the KPL wire format: magic, AggregatedRecord protobuf, MD5 of the body', () => {
    // Prepare: partition_key_table ["a"] (field 1), records [{ partition_key_index 0, data "{}" }] (field 3)
    const body = Buffer.from([0x0a, 0x01, 0x61, 0x1a, 0x06, 0x08, 0x00, 0x1a, 0x02, 0x7b, 0x7d]);
    const expected = Buffer.concat([
      Buffer.from([0xf3, 0x89, 0x9a, 0xc2]),
      body,
      createHash('md5').update(body).digest(),
    ]);

    // Act
    const actual = aggregateRecords([{ partitionKey: 'a', data: Buffer.from('{}') }]);

    // Assess
    expect(actual.toString('hex')).toBe(expected.toString('hex'));
  });

  it('stores each partition key and explicit hash key once and refers to them by index', () => {
    // Prepare
    const entries = [
      { partitionKey: 'k1', data: Buffer.from('1'), explicitHashKey: '42' },
      { partitionKey: 'k2', data: Buffer.from('2') },
      { partitionKey: 'k1', data: Buffer.from('3'), explicitHashKey: '42' },
    ];

    // Act
    const data = aggregateRecords(entries);

    // Assess
    expect(data.toString('latin1').split('k1')).toHaveLength(2);
    expect(data.toString('latin1').split('42')).toHaveLength(2);
    expect(parseAggregatedRecord(data).map((r) => [r.partitionKey, r.data.toString(), r.problem])).toEqual([
      ['k1', '1', undefined],
      ['k2', '2', undefined],
      ['k1', '3', undefined],
    ]);
  });
});
