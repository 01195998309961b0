import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import type { EsmHandler } from '@shardline/esm-emulator';
import {
  DEFAULT_CGROUP_ROOT,
  detectCgroupSupport,
  EnvironmentCgroup,
  machineCores,
  type CgroupSupport,
} from './cgroup';
import { FunctionHostError } from './errors';
import { hostScript } from './hostScript';
import type { InvocationReport, InvocationTrace } from './invocationTrace';
import { cpuShareFor, nodeHeapFlagsFor } from './lambdaResources';
import type { HostFault, HostMeasurement, HostMessage, InvokeMessage } from './lambdaHost';

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
  /** Working directory of the environments (the repository root). */
  cwd: string;
  chaos?: FunctionChaos;
  /** Called after every invocation, failed ones included, with what was measured. */
  onInvocation?: (report: InvocationReport) => void;
  /** Turns a trace into the invocation's duration (tools/latency `modelDuration`); without it, the wall time. */
  durationModel?: (trace: InvocationTrace) => number;
  /** The cgroup filesystem (default `SHARDLINE_CGROUP_ROOT`, else /sys/fs/cgroup). */
  cgroupRoot?: string;
  /** Where the one-line notices go (CPU share capped, limits not enforced); default stderr. */
  warn?: (message: string) => void;
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
  initMs?: number;
  invocations: number;
}

/** The CPU and memory limits every environment of a pool runs under. */
export interface PoolLimits {
  /** The vCPUs each environment gets: cpuShareFor(memory) capped at the machine's cores, or the cores unthrottled. */
  cpuShare: number;
  /** False when no cgroup could be made: environments run with the whole machine and no memory limit. */
  throttled: boolean;
}

const supportByRoot = new Map<string, CgroupSupport>();

// Detected once per cgroup root and process, so a machine without cgroups is told once, not per pool.
function cgroupSupport(root: string, warn: (message: string) => void): CgroupSupport {
  let support = supportByRoot.get(root);
  if (!support) {
    support = detectCgroupSupport(root);
    supportByRoot.set(root, support);
    if (!support.available) {
      warn(
        `Lambda CPU share and memory limit NOT enforced (${support.reason}): function environments run unthrottled with the machine's ${machineCores()} cores`,
      );
    }
  }
  return support;
}

// How Lambda words a runtime's exit (Go's os.ProcessState): "signal: killed", "exit status 129".
const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
};

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${SIGNAL_WORDS[signal] ?? signal.toLowerCase()}`;
  return `exit status ${code}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

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
  private readonly support: CgroupSupport;
  /** The limits this pool's environments run under. */
  readonly limits: PoolLimits;

  constructor(private readonly options: FunctionPoolOptions) {
    const warn = options.warn ?? ((message: string) => process.stderr.write(`${message}\n`));
    const share = cpuShareFor(options.memorySize);
    this.support = cgroupSupport(
      options.cgroupRoot ?? process.env.SHARDLINE_CGROUP_ROOT ?? DEFAULT_CGROUP_ROOT,
      warn,
    );
    const cores = machineCores();
    if (!this.support.available) {
      this.limits = { cpuShare: cores, throttled: false };
    } else {
      if (share > cores) {
        warn(
          `${options.functionName}: ${options.memorySize} MB gets ${share.toFixed(2)} vCPUs on Lambda; this machine has ${cores}, so its environments get ${cores}`,
        );
      }
      this.limits = { cpuShare: Math.min(share, cores), throttled: true };
    }
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
    const { functionName, memorySize } = this.options;
    const node = [process.execPath, ...nodeHeapFlagsFor(memorySize), hostScript(), this.options.bundle];
    const cgroup = this.support.available
      ? new EnvironmentCgroup(this.support, functionName, {
          cpuShare: this.limits.cpuShare,
          memoryMB: memorySize,
        })
      : undefined;
    // The parent's NODE_OPTIONS (a loader, a debugger) are not the function's; its own environment may set one.
    const { NODE_OPTIONS: _parentNodeOptions, ...inherited } = process.env;
    const spawnOptions = {
      cwd: this.options.cwd,
      env: {
        ...inherited,
        ...this.options.environment,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
      },
      stdio: ['ignore', this.logFd, this.logFd, 'ipc'] as ('ignore' | number | 'ipc')[],
    };
    // With a cgroup, a shell enters it and then becomes node (exec keeps the pid), so everything the environment
    // runs, Node's own start included, is inside its limits.
    const child = cgroup
      ? spawnProcess(
          '/bin/sh',
          [
            '-c',
            `for f in ${cgroup.procsFiles.map(shellQuote).join(' ')}; do echo $$ > "$f" || exit 97; done; exec "$@"`,
            'lambda-environment',
            ...node,
          ],
          spawnOptions,
        )
      : spawnProcess(node[0]!, node.slice(1), spawnOptions);
    const exited = new Promise<string>((resolve) =>
      child.once('exit', (code, signal) => {
        cgroup?.remove();
        resolve(exitDescription(code, signal));
      }),
    );
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (message: HostMessage) => {
        if (message.type === 'ready') {
          environment.initMs = message.initMs;
          this.stats.initMsMax = Math.max(this.stats.initMsMax, message.initMs);
          child.off('message', onMessage);
          resolve();
        } else if (message.type === 'init-error') {
          child.off('message', onMessage);
          reject(new FunctionHostError(`${functionName} failed to initialise: ${message.error}`));
        }
      };
      child.on('message', onMessage);
      void exited.then((how) => reject(new FunctionHostError(`${functionName} exited during init (${how})`)));
    });
    ready.catch(() => undefined);
    const environment: ExecutionEnvironment = { child, ready, exited, invocations: 0 };
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

  /** One synchronous invocation with any event (an API Gateway request, a test's): resolves with the result. */
  async invoke(event: unknown, context: Context): Promise<unknown> {
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
    const initMs = environment.invocations++ === 0 ? environment.initMs : undefined;
    const sentAt = performance.now();
    return new Promise<unknown>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void, error: string | undefined, measured?: HostMeasurement) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        this.report(performance.now() - sentAt, error, measured, initMs);
        outcome();
      };
      const onMessage = (reply: HostMessage) => {
        if (reply.type !== 'result' || reply.id !== message.id) return;
        finish(
          () => {
            if (!this.stopped) this.idle.push(environment);
            if (reply.ok) resolve(reply.response);
            else reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
          },
          reply.ok ? undefined : `${reply.error.name}: ${reply.error.message}`,
          reply,
        );
      };
      // Lambda ends a timed-out invocation by resetting its environment: nothing of it keeps running.
      const timer = setTimeout(
        () =>
          finish(() => {
            this.stats.timeouts++;
            child.kill('SIGKILL');
            reject(new FunctionHostError('Task timed out'));
          }, 'Task timed out'),
        Math.max(0, deadlineMs - Date.now()) + 20,
      );
      child.on('message', onMessage);
      void environment.exited.then((how) => {
        const error = `Runtime exited with error: ${how}`;
        finish(() => {
          this.stats.crashes++;
          reject(new FunctionHostError(error));
        }, error);
      });
      child.send(message);
    });
  }

  private report(
    wallMs: number,
    error: string | undefined,
    measured?: HostMeasurement,
    initMs?: number,
  ): void {
    const { onInvocation, durationModel, functionName, memorySize } = this.options;
    if (!onInvocation) return;
    // An environment that died mid-invocation sends nothing: its trace is the wall time, without calls.
    const m = measured ?? {
      startMs: 0,
      endMs: wallMs,
      cpuStartMs: 0,
      cpuEndMs: 0,
      maxRssMB: 0,
      logBytes: 0,
      calls: [],
    };
    const trace: InvocationTrace = {
      startMs: m.startMs,
      endMs: m.endMs,
      cpuStartMs: m.cpuStartMs,
      cpuEndMs: m.cpuEndMs,
      memoryMB: memorySize,
      cpuShare: this.limits.cpuShare,
      throttled: this.limits.throttled,
      calls: m.calls,
    };
    onInvocation({
      functionName,
      memoryMB: memorySize,
      ok: error === undefined,
      ...(error === undefined ? {} : { error }),
      wallMs,
      durationMs: durationModel ? durationModel(trace) : wallMs,
      cpuMs: m.cpuEndMs - m.cpuStartMs,
      maxRssMB: m.maxRssMB,
      logBytes: m.logBytes,
      ...(initMs === undefined ? {} : { initMs }),
      trace,
    });
  }
}
