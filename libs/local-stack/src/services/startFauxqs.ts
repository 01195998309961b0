import { join } from 'node:path';
import { LOOPBACK, STARTUP_TIMEOUT_MS } from '../constants';
import { ServiceStartError } from '../errors';
import { ManagedProcess } from '../ManagedProcess';
import type { LogLine, RunningService } from '../types';

const ENTRY = join(__dirname, 'fauxqsServer.mjs');

/** Starts fauxqs (S3 and SQS on one endpoint) in a Node child process on an ephemeral loopback port. */
export async function startFauxqs(log?: LogLine): Promise<RunningService> {
  const managed = ManagedProcess.spawn({
    name: 'fauxqs',
    command: process.execPath,
    args: [ENTRY],
    log,
    ipc: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const port = await Promise.race([
      new Promise<number>((resolve) => {
        managed.child.on('message', (message: unknown) => {
          const m = message as { type?: string; port?: number };
          if (m.type === 'listening' && typeof m.port === 'number') resolve(m.port);
        });
      }),
      managed.exited.then((how) => Promise.reject(new Error(`exited (${how})`))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not ready after ${STARTUP_TIMEOUT_MS.s3} ms`)),
          STARTUP_TIMEOUT_MS.s3,
        );
      }),
    ]);
    return { endpoint: `http://${LOOPBACK}:${port}`, stop: () => managed.stop() };
  } catch (error) {
    await managed.stop();
    throw new ServiceStartError('s3', (error as Error).message, managed.recentOutput(), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
