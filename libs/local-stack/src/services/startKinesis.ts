// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the ambient declaration must reach every project that compiles this file through the path alias
/// <reference path="../kinesalite.d.ts" />
import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';
import { KINESIS_SHARD_LIMIT, KINESIS_TRANSITION_MS, LOOPBACK } from '../constants';
import { ServiceStartError } from '../errors';
import type { RunningService } from '../types';

/** Starts kinesalite in this process, in memory, on an ephemeral loopback port. */
export async function startKinesis(): Promise<RunningService> {
  const server = kinesalite({
    createStreamMs: KINESIS_TRANSITION_MS,
    deleteStreamMs: KINESIS_TRANSITION_MS,
    updateStreamMs: KINESIS_TRANSITION_MS,
    shardLimit: KINESIS_SHARD_LIMIT,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, LOOPBACK, () => resolve());
    });
  } catch (error) {
    throw new ServiceStartError('kinesis', 'cannot listen', [], { cause: error });
  }
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would hold close() open.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
