import { gunzipSync } from 'node:zlib';
import { UsageError } from './errors';
import { filesOf } from './produceFiles';

const records = Array.from({ length: 5 }, (_, i) => ({
  data: Buffer.from(JSON.stringify({ id: `e${i}`, source: 's', type: 't' })),
  partitionKey: `u${i}`,
}));

describe('filesOf', () => {
  it('cuts the records in order into gzip NDJSON files of fileEvents lines under the prefix', () => {
    // Act
    const files = filesOf(records, { prefix: 'incoming/', fileEvents: 2, gzip: true, runId: 'run-1' });

    // Assess
    expect(files.map((f) => f.key)).toEqual([
      'incoming/run-1/part-000000.ndjson.gz',
      'incoming/run-1/part-000001.ndjson.gz',
      'incoming/run-1/part-000002.ndjson.gz',
    ]);
    const lines = files.flatMap((f) => gunzipSync(f.body).toString('utf8').split('\n').filter(Boolean));
    expect(lines).toEqual(records.map((r) => r.data.toString('utf8')));
    expect(files.map((f) => f.records.length)).toEqual([2, 2, 1]);
  });

  it('writes plain NDJSON, each line ending in a newline, without gzip', () => {
    const [file] = filesOf(records.slice(0, 2), { prefix: 'in/', fileEvents: 10, gzip: false, runId: 'r' });
    expect(file!.key).toBe('in/r/part-000000.ndjson');
    expect(file!.body.toString('utf8')).toBe(`${records[0]!.data}\n${records[1]!.data}\n`);
  });

  it('refuses a record holding a newline, naming it', () => {
    const bad = [...records, { data: Buffer.from('{"a":\n1}'), partitionKey: 'k' }];
    const act = () => filesOf(bad, { prefix: 'in/', fileEvents: 10, gzip: true, runId: 'r' });
    expect(act).toThrow(UsageError);
    expect(act).toThrow('record 6 holds a newline');
  });
});
