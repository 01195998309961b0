import { createHash } from 'node:crypto';
import { KplChecksumError, KplFormatError } from './errors';
import { hasKplMagic, parseAggregatedRecord } from './parseAggregatedRecord';

function kpl(body: number[]): Buffer {
  const bytes = Buffer.from(body);
  return Buffer.concat([
    Buffer.from([0xf3, 0x89, 0x9a, 0xc2]),
    bytes,
    createHash('md5').update(bytes).digest(),
  ]);
}

describe('parseAggregatedRecord', () => {
  it('skips tags and unknown fields of every wire type', () => {
    // Prepare: table ["a"], unknown fixed32 field 9, record { pk 0, tag {key "t"}, unknown fixed64 7, data "x" }
    const record = [0x08, 0x00, 0x22, 0x03, 0x0a, 0x01, 0x74, 0x39, 1, 2, 3, 4, 5, 6, 7, 8, 0x1a, 0x01, 0x78];
    const body = [0x0a, 0x01, 0x61, 0x4d, 1, 2, 3, 4, 0x1a, record.length, ...record];

    // Act
    const subRecords = parseAggregatedRecord(kpl(body));

    // Assess
    expect(subRecords.map((r) => [r.partitionKey, r.data.toString(), r.problem])).toEqual([
      ['a', 'x', undefined],
    ]);
  });

  it('reads partition keys defined after the records that use them', () => {
    // Prepare
    const body = [0x1a, 0x05, 0x08, 0x00, 0x1a, 0x01, 0x78, 0x0a, 0x01, 0x62];

    // Act
    const [subRecord] = parseAggregatedRecord(kpl(body));

    // Assess
    expect(subRecord?.partitionKey).toBe('b');
  });

  it.each([
    [
      'a missing partition key index',
      [0x0a, 0x01, 0x61, 0x1a, 0x03, 0x1a, 0x01, 0x78],
      'sub-record has no partition_key_index',
    ],
    ['missing data', [0x0a, 0x01, 0x61, 0x1a, 0x02, 0x08, 0x00], 'sub-record has no data field'],
    [
      'an explicit hash key index outside its table',
      [0x0a, 0x01, 0x61, 0x1a, 0x07, 0x08, 0x00, 0x10, 0x02, 0x1a, 0x01, 0x78],
      'explicit_hash_key_index 2 is outside the explicit hash key table of 0',
    ],
  ])('marks only the sub-record with %s as unusable', (_case, body, problem) => {
    // Act
    const [subRecord] = parseAggregatedRecord(kpl(body));

    // Assess
    expect(subRecord?.problem).toBe(problem);
  });

  it.each([
    ['a truncated varint', [0x0a, 0x81], 'truncated varint at byte 6'],
    [
      'a varint longer than 10 bytes',
      [0x78, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      'varint longer than 10 bytes at byte 15',
    ],
    ['field number 0', [0x00, 0x00], 'invalid field number 0 at byte 5'],
    ['a group wire type', [0x7b], 'unsupported wire type 3 at byte 5'],
    [
      'a partition key table entry that is not bytes',
      [0x08, 0x01],
      'AggregatedRecord field 1 has wire type 0, expected 2',
    ],
    ['a partition key that is not UTF-8', [0x0a, 0x01, 0xff], 'partition key 0 is not valid UTF-8'],
    ['a truncated fixed-size field', [0x7d, 0x01], 'truncated fixed-size field at byte 5'],
  ])('throws KplFormatError for %s', (_case, body, message) => {
    // Act and assess
    expect(() => parseAggregatedRecord(kpl(body))).toThrow(new KplFormatError(message));
  });

  it('throws KplChecksumError when the digest does not match the body', () => {
    // Prepare
    const data = kpl([0x0a, 0x01, 0x61]);
    data[5] = 0x62;

    // Act and assess
    expect(() => parseAggregatedRecord(data)).toThrow(KplChecksumError);
  });
});

describe('hasKplMagic', () => {
  it('recognises the four magic bytes and nothing shorter', () => {
    // Act and assess
    expect(hasKplMagic(Buffer.from([0xf3, 0x89, 0x9a, 0xc2, 0]))).toBe(true);
    expect(hasKplMagic(Buffer.from([0xf3, 0x89, 0x9a]))).toBe(false);
    expect(hasKplMagic(Buffer.from([0xf3, 0x89, 0x9a, 0xc3]))).toBe(false);
  });
});
