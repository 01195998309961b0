import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { STOP_GRACE_MS } from './constants';
import { ArtefactError } from './errors';
import type { LogLine } from './types';

const RECENT_LINES = 40;
const SETPRIV = '/usr/bin/setpriv';

/** Options of {@link ManagedProcess.spawn}. */
export interface ManagedProcessOptions {
  /** Prefix of forwarded log lines, e.g. `opensearch`. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this uid/gid instead of ours (only honoured when we are root). */
  runAs?: { uid: number; gid: number };
  log?: LogLine;
  /** Called with every output line, e.g. to spot a readiness message. */
  onLine?: (line: string) => void;
  /** Extra stdio slot for an IPC channel (node children). */
  ipc?: boolean;
}

const live = new Set<ManagedProcess>();
let hooksInstalled = false;

/** Last-resort cleanup: when this process goes away, its children go too. */
function killAllNow(): void {
  for (const managed of live) managed.killNow();
}

function onSignal(signal: NodeJS.Signals): void {
  // A program that handles the signal itself (the serve tool) stops its stack gracefully.
  if (process.listenerCount(signal) > 1) return;
  killAllNow();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Re-raise so the default action (terminate) happens as if we had never listened.
  process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function removeHooks(): void {
  if (!hooksInstalled || live.size > 0) return;
  hooksInstalled = false;
  process.off('exit', killAllNow);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/**
 * A child process that cannot outlive us: on Linux it is started through `setpriv --pdeathsig`, so the kernel
 * kills it even if we are killed with SIGKILL; everywhere, exit and signal hooks kill it.
 */
export class ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  private readonly recent: string[] = [];
  private exitDescription: string | undefined;

  private constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    const { command, args } = wrapCommand(options);
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    };
    this.child = spawn(command, args, spawnOptions);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitDescription = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
        live.delete(this);
        removeHooks();
        resolve(this.exitDescription);
      });
      this.child.once('error', (error) => {
        this.exitDescription = `spawn error: ${error.message}`;
        live.delete(this);
        removeHooks();
        resolve(this.exitDescription);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.recent.push(line);
        if (this.recent.length > RECENT_LINES) this.recent.shift();
        options.log?.(`[${this.name}] ${line}`);
        options.onLine?.(line);
      });
    }
    live.add(this);
    installHooks();
  }

  /** Starts `command`; see {@link ManagedProcessOptions}. */
  static spawn(options: ManagedProcessOptions): ManagedProcess {
    return new ManagedProcess(options);
  }

  /** The process id, or undefined if spawning failed. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or undefined while it runs. */
  get exit(): string | undefined {
    return this.exitDescription;
  }

  /** The last lines the process printed, for error messages. */
  recentOutput(): string[] {
    return [...this.recent];
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.exitDescription !== undefined) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, forced]);
    clearTimeout(timer);
    await this.exited;
  }

  /** Synchronous SIGKILL, for exit hooks. */
  killNow(): void {
    if (this.exitDescription === undefined) this.child.kill('SIGKILL');
  }
}

function wrapCommand(options: ManagedProcessOptions): { command: string; args: string[] } {
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? options.runAs : undefined;
  if (process.platform !== 'linux' || !existsSync(SETPRIV)) {
    if (runAs)
      throw new ArtefactError(
        `${options.name} must not run as root and ${SETPRIV} is missing to drop privileges`,
      );
    return { command: options.command, args: options.args };
  }
  const drop = runAs ? [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups'] : [];
  return { command: SETPRIV, args: [...drop, '--pdeathsig=SIGKILL', '--', options.command, ...options.args] };
}
