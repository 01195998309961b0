import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputFileError } from './errors';
import { parseInput, readInputFile } from './readInputFile';

describe('parseInput', () => {
  it('reads NDJSON: one record per non-empty line, its bytes as they are, keyed by the user id', () => {
    // Prepare
    const text = '{"id":"1","data":{"userId":"u-1"}}\r\n\n{"id":"2", "data":{}}\n';

    // Act
    const records = parseInput(text, 'events.ndjson');

    // Assess
    expect(records.map((r) => [r.data.toString('utf8'), r.partitionKey])).toEqual([
      ['{"id":"1","data":{"userId":"u-1"}}', 'u-1'],
      ['{"id":"2", "data":{}}', '2'],
    ]);
  });

  it('reads the JSON of aws kinesis put-records, so arbitrary bytes can be sent', () => {
    // Prepare
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff]);
    const text = JSON.stringify([
      { Data: bytes.toString('base64'), PartitionKey: 'k1' },
      { Data: Buffer.from('{"a":1}').toString('base64'), PartitionKey: 'k2' },
    ]);

    // Act
    const records = parseInput(text, 'records.json');

    // Assess
    expect(records[0]).toEqual({ data: bytes, partitionKey: 'k1' });
    expect(records[1]!.data.toString('utf8')).toBe('{"a":1}');
  });

  it.each([
    ['a line that is not JSON', '{"id":"1"}\nnot json\n', /events:2: not a JSON event/],
    ['an empty file', '\n\n', /holds no record/],
    [
      'put-records data that is not base64',
      '[{"Data":"***","PartitionKey":"k"}]',
      /entry 0: Data must be a base64/,
    ],
    ['a missing partition key', '[{"Data":"AA=="}]', /entry 0: PartitionKey/],
    ['a put-records file that is not an array of entries', '[1', /not valid JSON/],
  ])('refuses %s', (_, text, message) => {
    // Act
    const act = () => parseInput(text, 'events');

    // Assess
    expect(act).toThrow(InputFileError);
    expect(act).toThrow(message);
  });
});

describe('readInputFile', () => {
  it('names the file it cannot read', () => {
    // Act
    const act = () => readInputFile('/nonexistent/events.ndjson');

    // Assess
    expect(act).toThrow(/cannot read \/nonexistent\/events.ndjson/);
  });

  it('reads a file from disk', () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'input-')), 'events.ndjson');
    writeFileSync(file, '{"id":"x","data":{"userId":"u"}}\n');

    // Act
    const records = readInputFile(file);

    // Assess
    expect(records).toHaveLength(1);
  });
});
