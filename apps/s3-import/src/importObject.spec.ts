import { decideHandOff } from './decideHandOff';
import { objectIdOf } from './dynamoDbCheckpoints';
import { CheckpointConflictError, PutRecordsIncompleteError } from './errors';
import { importObject } from './importObject';
import { fakeImport } from './test-helpers/fakes';
import type { ImportTarget } from './types';

const target: ImportTarget = {
  bucket: 'inbox',
  key: 'incoming/a.ndjson',
  etag: 'd41d8cd98f00b204e9800998ecf8427e',
  hop: 0,
};
const eventLine = (i: number) =>
  JSON.stringify({
    id: `e-${i}`,
    source: '/t',
    type: 'com.example.ad.click',
    data: { userId: `u-${i % 7}` },
  });
/** 1,200 events; line 600 is not JSON. */
const file =
  Array.from({ length: 1200 }, (_, i) => (i + 1 === 600 ? '{"broken' : eventLine(i + 1))).join('\n') + '\n';
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('importObject', () => {
  it('puts every event in file order in chunks of 500, quarantines the malformed line with its place, and ends done', async () => {
    // Prepare
    const { deps, puts, quarantined, checkpoints, putLines } = fakeImport(file);

    // Act
    const result = await importObject(target, deps);

    // Assess
    expect(result).toMatchObject({
      status: 'done',
      imported: 1199,
      malformed: 1,
      putCalls: 3,
      resumed: false,
    });
    expect(puts.map((p) => p.length)).toEqual([500, 500, 199]);
    expect(putLines()).toEqual(range(1, 1200).filter((n) => n !== 600));
    expect(puts[0]![0]).toMatchObject({ partitionKey: 'u-1', data: Buffer.from(eventLine(1)) });
    expect(quarantined).toEqual([
      expect.objectContaining({
        consumer: 's3-import',
        reason: 'JSON_INVALID',
        data: Buffer.from('{"broken').toString('base64'),
        sequenceNumber: '600',
        file: expect.objectContaining({
          bucket: 'inbox',
          key: 'incoming/a.ndjson',
          etag: target.etag,
          line: 600,
          offset: file.indexOf('{"broken'),
          length: 8,
        }),
      }),
    ]);
    expect(checkpoints.items.get(objectIdOf(target))).toEqual({
      lines: 1200,
      bytes: Buffer.byteLength(file),
      done: true,
    });
  });

  it('skips an object version its checkpoint says is done', async () => {
    // Prepare
    const { deps, puts } = fakeImport(file);
    await importObject(target, deps);
    puts.length = 0;

    // Act
    const again = await importObject(target, deps);

    // Assess
    expect(again.status).toBe('skipped');
    expect(puts).toEqual([]);
  });

  it('hands off after a chunk once less than the margin is left, and the next invocation resumes after it', async () => {
    // Prepare: plenty of time for the first chunk, then less than the margin.
    let left = 900_000;
    const { deps, putLines } = fakeImport(file, { timeLeftMs: () => left });
    const afterFirstPut = deps.put;
    let calls = 0;
    deps.put = async (entries) => {
      if (++calls === 1) left = 30_000;
      return afterFirstPut(entries);
    };

    // Act
    const first = await importObject(target, deps);
    left = 900_000;
    const second = await importObject(target, deps);

    // Assess
    expect(first).toMatchObject({
      status: 'handed-off',
      imported: 500,
      progress: { lines: 500, done: false },
    });
    expect(first.progress.bytes).toBe(file.indexOf(eventLine(501)));
    expect(second).toMatchObject({ status: 'done', resumed: true, imported: 699 });
    expect(putLines()).toEqual(range(1, 1200).filter((n) => n !== 600));
  });

  it('after a crash between a PutRecords and its checkpoint, re-sends that one chunk and nothing else', async () => {
    // Prepare
    const { deps, checkpoints, puts, putLines } = fakeImport(file);
    let calls = 0;
    const put = deps.put;
    deps.put = async (entries) => {
      if (++calls === 2) checkpoints.failNextWrite = true;
      return put(entries);
    };

    // Act
    await expect(importObject(target, deps)).rejects.toThrow('the process died');
    const retry = await importObject(target, deps);

    // Assess: chunk 2 (the 500 events of lines 501 to 1001) went out twice: the documented window of one chunk.
    expect(retry).toMatchObject({ status: 'done', resumed: true });
    expect(puts[2]!.map((e) => e.ref)).toEqual(puts[1]!.map((e) => e.ref));
    const counts = new Map<number, number>();
    for (const n of putLines()) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts].filter(([, c]) => c > 1).map(([n]) => n)).toEqual(
      range(501, 1001).filter((n) => n !== 600),
    );
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(range(1, 1200).filter((n) => n !== 600));
  });

  it('fails without advancing the checkpoint when records of a chunk cannot be put', async () => {
    // Prepare
    const { deps, checkpoints } = fakeImport(file, {
      put: async (entries) => [{ ref: entries[3]!.ref, errorCode: 'ProvisionedThroughputExceededException' }],
    });

    // Act
    const run = importObject(target, deps);

    // Assess
    await expect(run).rejects.toThrow(PutRecordsIncompleteError);
    expect(checkpoints.items.get(objectIdOf(target))).toBeUndefined();
  });

  it('stops when a concurrent invocation of the same object advanced the checkpoint first', async () => {
    // Prepare
    const { deps, checkpoints } = fakeImport(file);
    const put = deps.put;
    deps.put = async (entries) => {
      checkpoints.items.set(objectIdOf(target), { lines: 500, bytes: 1, done: false });
      return put(entries);
    };

    // Assess
    await expect(importObject(target, deps)).rejects.toThrow(CheckpointConflictError);
  });

  it('marks an object done whose checkpoint already reached its end', async () => {
    // Prepare
    const { deps, checkpoints, puts } = fakeImport(file);
    checkpoints.items.set(objectIdOf(target), { lines: 1200, bytes: Buffer.byteLength(file), done: false });

    // Act
    const result = await importObject(target, deps);

    // Assess
    expect(result.status).toBe('done');
    expect(puts).toEqual([]);
    expect(checkpoints.items.get(objectIdOf(target))?.done).toBe(true);
  });
});

describe('decideHandOff', () => {
  it('reads on only while more than the margin is left', () => {
    // Assess
    expect(decideHandOff({ timeLeftMs: 60_001, marginMs: 60_000 })).toBe('continue');
    expect(decideHandOff({ timeLeftMs: 60_000, marginMs: 60_000 })).toBe('hand-off');
  });
});
