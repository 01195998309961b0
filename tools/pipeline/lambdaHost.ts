/**
 * One Lambda execution environment: a child process that loads a function bundle with the function's own
 * environment (handlers read their configuration at module load, as on a cold start) and runs one invocation at a
 * time, sent by {@link FunctionPool} over IPC. Crashes injected by the pool end this process, as a runtime crash
 * ends a Lambda sandbox.
 *
 * It runs as plain JavaScript (FunctionPool compiles it, see hostScript.ts), so the memory and CPU the environment
 * uses are the function's and Node's, not a TypeScript loader's. It measures each invocation: handler time, CPU,
 * peak RSS, the bytes written to stdout/stderr, and every HTTP call (httpRecorder.ts).
 *
 * Started as `node <Lambda's heap flags> lambdaHost.cjs <bundle>`.
 */
import type { Context } from 'aws-lambda';
import { byteLength, cpuMs, HttpRecorder } from './httpRecorder';
import type { IoCall } from './invocationTrace';

/** Fault the pool asks this environment to act out. */
export type HostFault = 'crash-before' | 'crash-during' | 'crash-after' | 'hang';

/** Parent -> child. */
export interface InvokeMessage {
  type: 'invoke';
  id: number;
  event: unknown;
  context: { functionName: string; awsRequestId: string; memoryLimitInMB: string; deadlineMs: number };
  fault?: HostFault;
}

/** Child -> parent. */
export type HostMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: string }
  | ({ type: 'result'; id: number; ok: true; response: unknown } & HostMeasurement)
  | ({ type: 'result'; id: number; ok: false; error: { name: string; message: string } } & HostMeasurement);

/** What the environment measured of one invocation. */
export interface HostMeasurement {
  startMs: number;
  endMs: number;
  cpuStartMs: number;
  cpuEndMs: number;
  maxRssMB: number;
  logBytes: number;
  calls: IoCall[];
}

function send(message: HostMessage): void {
  process.send?.(message);
}

function crash(): never {
  // The exit code Lambda reports for "Runtime exited with error".
  process.exit(129);
}

/** Counts what the process writes to stdout and stderr (console, Powertools' logger and EMF all write there). */
function countOutput(): { take: () => number } {
  let bytes = 0;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      bytes += byteLength(chunk, rest[0]);
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  }
  return {
    take: () => {
      const taken = bytes;
      bytes = 0;
      return taken;
    },
  };
}

async function main(): Promise<void> {
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: lambdaHost.cjs <bundle.js>');
  const began = performance.now();
  // Hooked before the bundle loads, so its SDK clients are seen from their first request.
  const recorder = new HttpRecorder();
  const output = countOutput();
  let handler: (event: unknown, context: Context) => Promise<unknown>;
  try {
    handler = (require(bundle) as { handler: typeof handler }).handler;
    if (typeof handler !== 'function') throw new Error(`${bundle} exports no handler function`);
  } catch (error) {
    send({ type: 'init-error', error: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
  send({ type: 'ready', initMs: performance.now() - began });

  process.on('message', (message: InvokeMessage) => {
    if (message.type !== 'invoke') return;
    const { context: c, fault } = message;
    const context = {
      functionName: c.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:${c.functionName}`,
      memoryLimitInMB: c.memoryLimitInMB,
      awsRequestId: c.awsRequestId,
      logGroupName: `/aws/lambda/${c.functionName}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      // Whole milliseconds, as Lambda's runtime gives them.
      getRemainingTimeInMillis: () => Math.max(0, Math.floor(c.deadlineMs - Date.now())),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    } as Context;
    if (fault === 'crash-before') crash();
    output.take(); // what was written between invocations (init logs) is not this invocation's
    recorder.begin();
    const startMs = performance.now();
    const cpuStartMs = cpuMs();
    const measure = (): HostMeasurement => {
      const endMs = performance.now();
      return {
        startMs,
        endMs,
        cpuStartMs,
        cpuEndMs: cpuMs(),
        maxRssMB: process.resourceUsage().maxRSS / 1024,
        logBytes: output.take(),
        calls: recorder.end(endMs),
      };
    };
    if (fault === 'crash-during') {
      // Somewhere inside the invocation: a sink call may or may not have landed.
      setTimeout(crash, Math.floor(Math.random() * 200));
    }
    Promise.resolve()
      .then(() => handler(message.event, context))
      .then(
        (response) => {
          if (fault === 'crash-after') crash(); // the work is done, the response is lost
          if (fault === 'hang') return; // never answers: the pool kills us at the deadline
          send({ type: 'result', id: message.id, ok: true, response: response ?? null, ...measure() });
        },
        (error: unknown) => {
          const e = error instanceof Error ? error : new Error(String(error));
          const failure = { name: e.name, message: e.message };
          send({ type: 'result', id: message.id, ok: false, error: failure, ...measure() });
        },
      );
  });
}

main().catch((error: unknown) => {
  send({ type: 'init-error', error: String(error) });
  process.exit(1);
});
