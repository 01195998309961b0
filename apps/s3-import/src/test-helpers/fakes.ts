import type { FailedPut, PutEntry } from '@shardline/aws';
import { CheckpointConflictError } from '../errors';
import type { ImportDependencies, LineQuarantineMessage } from '../importObject';
import type { OpenedObject } from '../openObject';
import type { Checkpoints, Progress } from '../types';

/** Checkpoints in memory, with the conditional semantics of the DynamoDB ones. */
export function memoryCheckpoints(): Checkpoints & { items: Map<string, Progress>; failNextWrite?: boolean } {
  const items = new Map<string, Progress>();
  const store = {
    items,
    failNextWrite: false as boolean | undefined,
    read: async (id: string) => items.get(id),
    advance: async (id: string, previous: Progress | undefined, next: Progress) => {
      if (store.failNextWrite) {
        store.failNextWrite = false;
        throw new Error('the process died before the checkpoint write');
      }
      const current = items.get(id);
      if (JSON.stringify(current) !== JSON.stringify(previous)) throw new CheckpointConflictError(id);
      items.set(id, next);
    },
  };
  return store;
}

async function* pieces(buffer: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

/** Dependencies of importObject over a plain file held in memory; records every put and quarantine. */
export function fakeImport(content: string, overrides: Partial<ImportDependencies> = {}) {
  const file = Buffer.from(content);
  const puts: PutEntry<number>[][] = [];
  const quarantined: LineQuarantineMessage[] = [];
  const checkpoints = memoryCheckpoints();
  const deps: ImportDependencies = {
    open: async (_target, bytes): Promise<OpenedObject> =>
      bytes >= file.length
        ? { status: 'ended' }
        : { status: 'open', gzip: false, chunks: pieces(file.subarray(bytes), 1000) },
    checkpoints,
    put: async (entries): Promise<FailedPut<number>[]> => {
      puts.push(entries);
      return [];
    },
    quarantine: async (messages) => {
      quarantined.push(...messages);
    },
    acquire: async () => 0,
    timeLeftMs: () => 900_000,
    handOffMarginMs: 60_000,
    maxLineBytes: 256 * 1024,
    consumer: 's3-import',
    ...overrides,
  };
  const putLines = () => puts.flat().map((e) => e.ref);
  return { deps, puts, quarantined, checkpoints, putLines };
}
