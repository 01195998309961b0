import { handleImportEvent } from './handleImportEvent';
import { fakeImport } from './test-helpers/fakes';
import type { ContinuationEvent } from './types';

const inbox = { bucket: 'inbox-bucket', prefix: 'incoming' };
const ETAG = 'd41d8cd98f00b204e9800998ecf8427e';
const file =
  Array.from({ length: 700 }, (_, i) => JSON.stringify({ id: `e-${i}`, source: '/t', type: 't' })).join(
    '\n',
  ) + '\n';
const notification = (...keys: string[]) => ({
  Records: keys.map((key) => ({
    eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: inbox.bucket }, object: { key, size: Buffer.byteLength(file), eTag: ETAG } },
  })),
});

describe('handleImportEvent', () => {
  it('hands the current object off from its checkpoint, and the objects not started from their beginning', async () => {
    // Prepare: less than the margin left, so the first chunk is the last of this invocation.
    const sent: ContinuationEvent[] = [];
    const { deps } = fakeImport(file, { timeLeftMs: () => 1_000 });

    // Act
    const summary = await handleImportEvent(notification('incoming/a.ndjson', 'incoming/b.ndjson'), {
      ...deps,
      inbox,
      sendContinuation: async (event) => {
        sent.push(event);
      },
    });

    // Assess
    expect(summary.handOffs).toBe(2);
    expect(summary.results).toEqual([
      expect.objectContaining({ key: 'incoming/a.ndjson', status: 'handed-off', imported: 500 }),
    ]);
    expect(
      sent.map((e) => [e.continuation.key, e.continuation.hop, e.continuation.checkpoint.lines]),
    ).toEqual([
      ['incoming/a.ndjson', 1, 500],
      ['incoming/b.ndjson', 1, 0],
    ]);
    expect(sent[0]).toMatchObject({
      source: 'shardline.s3-import',
      continuation: { bucket: inbox.bucket, etag: ETAG, size: Buffer.byteLength(file) },
    });
  });

  it('lets a concurrent invocation of the same object carry on and imports the other objects', async () => {
    // Prepare: a's checkpoint moves under this invocation's feet after its first chunk.
    const { deps, checkpoints } = fakeImport(file);
    const put = deps.put;
    let calls = 0;
    deps.put = async (entries) => {
      if (++calls === 1)
        checkpoints.items.set(`${inbox.bucket}/incoming/a.ndjson#${ETAG}`, {
          lines: 9,
          bytes: 9,
          done: false,
        });
      return put(entries);
    };

    // Act
    const summary = await handleImportEvent(
      notification('incoming/a.ndjson', 'incoming/b.ndjson', 'elsewhere/c.ndjson'),
      {
        ...deps,
        inbox,
        sendContinuation: async () => undefined,
      },
    );

    // Assess
    expect(summary.conflicts).toBe(1);
    expect(summary.results).toEqual([
      expect.objectContaining({ key: 'incoming/b.ndjson', status: 'done', imported: 700 }),
    ]);
    expect(summary.rejected).toEqual([expect.objectContaining({ key: 'elsewhere/c.ndjson' })]);
  });
});
