import { CONTINUATION_SOURCE } from './constants';
import { CheckpointConflictError } from './errors';
import { importObject, type ImportDependencies, type ImportResult } from './importObject';
import { parseImportEvent, type Inbox, type RejectedObject } from './parseImportEvent';
import type { ContinuationEvent, ImportTarget, Progress } from './types';

/** What one invocation did, for logs and metrics. */
export interface InvocationSummary {
  results: Array<{ bucket: string; key: string; etag: string } & ImportResult>;
  rejected: RejectedObject[];
  /** Continuations sent (one per object handed off, and per object of the event not started yet). */
  handOffs: number;
  conflicts: number;
}

/** Everything {@link handleImportEvent} needs beside {@link importObject}'s dependencies. */
export interface EventDependencies extends ImportDependencies {
  inbox: Inbox;
  /** Invokes this function asynchronously (InvocationType Event) with the continuation. */
  sendContinuation(event: ContinuationEvent): Promise<void>;
}

/** The event that continues an object from a checkpoint. */
export function continuationOf(target: ImportTarget, checkpoint: Progress): ContinuationEvent {
  return {
    source: CONTINUATION_SOURCE,
    continuation: {
      bucket: target.bucket,
      key: target.key,
      etag: target.etag,
      ...(target.versionId ? { versionId: target.versionId } : {}),
      ...(target.size !== undefined ? { size: target.size } : {}),
      hop: target.hop + 1,
      checkpoint,
    },
  };
}

/**
 * Runs one invocation: reads the event, imports its objects in order and, when the time budget runs short,
 * hands the current object (and any not started) to fresh invocations. A hand-off is sent only after the
 * checkpoint it continues from is stored, so a lost continuation costs nothing but time: the failed send fails
 * the invocation, and Lambda's retry resumes from the same checkpoint.
 *
 * @throws {ImportEventError} for an event that is neither an S3 notification nor a continuation.
 */
export async function handleImportEvent(event: unknown, deps: EventDependencies): Promise<InvocationSummary> {
  const request = parseImportEvent(event, deps.inbox);
  const summary: InvocationSummary = { results: [], rejected: request.rejected, handOffs: 0, conflicts: 0 };
  for (let i = 0; i < request.targets.length; i++) {
    const { target } = request.targets[i]!;
    let result: ImportResult;
    try {
      result = await importObject(target, deps);
    } catch (error) {
      if (!(error instanceof CheckpointConflictError)) throw error;
      // A duplicate notification of the same object is importing it: it carries on, this one stops.
      summary.conflicts++;
      continue;
    }
    summary.results.push({ bucket: target.bucket, key: target.key, etag: target.etag, ...result });
    if (result.status === 'handed-off') {
      // importObject hands off only after a chunk it checkpointed, so every hop makes progress.
      await deps.sendContinuation(continuationOf(target, result.progress));
      summary.handOffs++;
      for (const { target: later } of request.targets.slice(i + 1)) {
        await deps.sendContinuation(continuationOf(later, { lines: 0, bytes: 0, done: false }));
        summary.handOffs++;
      }
      break;
    }
  }
  return summary;
}
