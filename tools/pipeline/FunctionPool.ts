import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import type { EsmHandler } from '@shardline/esm-emulator';
import { FunctionHostError } from './errors';
import type { HostFault, HostMessage, InvokeMessage } from './lambdaHost';

/** Injected function faults: per invocation, a crash with `crashProbability`, a hang with `hangProbability`. */
export interface FunctionChaos {
  crashProbability: number;
  hangProbability: number;
  random: () => number;
}

/** Options of {@link FunctionPool}. */
export interface FunctionPoolOptions {
  functionName: string;
  /** The bundle exporting `handler` (dist/apps/<app>/index.js). */
  bundle: string;
  /** The function's environment, on top of the parent's (PATH, HOME...). */
  environment: Record<string, string>;
  memorySize: number;
  /** Where the environments' stdout/stderr (the function logs) are appended. */
  logFile: string;
  /** Directory `tsx` is resolved from (the repository root). */
  cwd: string;
  chaos?: FunctionChaos;
}

/** Counters of one pool. */
export interface FunctionPoolStats {
  coldStarts: number;
  initMsMax: number;
  crashes: number;
  timeouts: number;
  injectedCrashes: number;
  injectedHangs: number;
}

interface ExecutionEnvironment {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<string>;
}

const HOST = join(__dirname, 'lambdaHost.ts');

/**
 * Lambda execution environments of one function, as child processes: an invocation takes an idle environment or
 * cold-starts a new one (so concurrent batches of several shards run in separate environments, as on Lambda), a
 * crash or a timeout destroys the environment, and the next invocation starts a fresh one.
 *
 * @example
 * ```ts
 * const pool = new FunctionPool({ functionName: 'enrichment', bundle, environment, memorySize: 512, logFile, cwd });
 * await pool.warm();
 * new EventSourceMapping({ ..., handler: pool.handler });
 * ```
 */
export class FunctionPool {
  readonly stats: FunctionPoolStats = {
    coldStarts: 0,
    initMsMax: 0,
    crashes: 0,
    timeouts: 0,
    injectedCrashes: 0,
    injectedHangs: 0,
  };
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly logFd: number;
  private nextId = 1;
  private stopped = false;

  constructor(private readonly options: FunctionPoolOptions) {
    this.logFd = openSync(options.logFile, 'a');
  }

  /** The handler to give the event source mapping. */
  readonly handler: EsmHandler = (event, context) => this.invoke(event, context);

  /** Starts one environment ahead of the first batch; rejects with the init error if the bundle cannot load. */
  async warm(): Promise<void> {
    const environment = this.spawn();
    await environment.ready;
    this.idle.push(environment);
  }

  /** Kills every environment. */
  async stop(): Promise<void> {
    this.stopped = true;
    const exits = [...this.all].map((e) => {
      e.child.kill('SIGKILL');
      return e.exited;
    });
    await Promise.all(exits);
    closeSync(this.logFd);
  }

  private spawn(): ExecutionEnvironment {
    this.stats.coldStarts++;
    const child = fork(HOST, [this.options.bundle], {
      cwd: this.options.cwd,
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        ...this.options.environment,
        AWS_LAMBDA_FUNCTION_NAME: this.options.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.options.memorySize),
      },
      stdio: ['ignore', this.logFd, this.logFd, 'ipc'],
    });
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit status ${code}`)),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: HostMessage) => {
        if (message.type === 'ready') {
          this.stats.initMsMax = Math.max(this.stats.initMsMax, message.initMs);
          child.off('message', onMessage);
          resolve();
        } else if (message.type === 'init-error') {
          child.off('message', onMessage);
          reject(
            new FunctionHostError(`${this.options.functionName} failed to initialise: ${message.error}`),
          );
        }
      };
      child.on('message', onMessage);
      void exited.then((how) =>
        reject(new FunctionHostError(`${this.options.functionName} exited during init (${how})`)),
      );
    });
    ready.catch(() => undefined);
    const environment = { child, ready, exited };
    this.all.add(environment);
    void exited.then(() => {
      this.all.delete(environment);
      const at = this.idle.indexOf(environment);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return environment;
  }

  private pickFault(): HostFault | undefined {
    const chaos = this.options.chaos;
    if (!chaos) return undefined;
    const draw = chaos.random();
    if (draw < chaos.crashProbability) {
      this.stats.injectedCrashes++;
      const kinds: HostFault[] = ['crash-before', 'crash-during', 'crash-after'];
      return kinds[Math.floor(chaos.random() * kinds.length)];
    }
    if (draw < chaos.crashProbability + chaos.hangProbability) {
      this.stats.injectedHangs++;
      return 'hang';
    }
    return undefined;
  }

  private async invoke(event: unknown, context: Context): Promise<unknown> {
    if (this.stopped) throw new FunctionHostError(`${this.options.functionName} is stopped`);
    const environment = this.idle.pop() ?? this.spawn();
    await environment.ready;
    const deadlineMs = Date.now() + context.getRemainingTimeInMillis();
    const message: InvokeMessage = {
      type: 'invoke',
      id: this.nextId++,
      event,
      context: {
        functionName: context.functionName,
        awsRequestId: context.awsRequestId,
        memoryLimitInMB: context.memoryLimitInMB,
        deadlineMs,
      },
      fault: this.pickFault(),
    };
    const { child } = environment;
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        outcome();
      };
      const onMessage = (reply: HostMessage) => {
        if (reply.type !== 'result' || reply.id !== message.id) return;
        finish(() => {
          if (!this.stopped) this.idle.push(environment);
          if (reply.ok) resolve(reply.response);
          else reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
        });
      };
      // Lambda ends a timed-out invocation by resetting its environment: nothing of it keeps running.
      const timer = setTimeout(
        () =>
          finish(() => {
            this.stats.timeouts++;
            child.kill('SIGKILL');
            reject(new FunctionHostError('Task timed out'));
          }),
        Math.max(0, deadlineMs - Date.now()) + 20,
      );
      child.on('message', onMessage);
      void environment.exited.then((how) =>
        finish(() => {
          this.stats.crashes++;
          reject(new FunctionHostError(`Runtime exited with error: ${how}`));
        }),
      );
      child.send(message);
    });
  }
}
