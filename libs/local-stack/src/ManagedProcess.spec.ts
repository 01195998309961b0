import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ManagedProcess } from './ManagedProcess';
import { childPids } from './test-helpers/processes';

describe('ManagedProcess', () => {
  it('forwards each output line with the process name', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const managed = ManagedProcess.spawn({
      name: 'echo',
      command: 'sh',
      args: ['-c', 'echo one; echo two >&2'],
      log: (line) => lines.push(line),
    });
    const exit = await managed.exited;
    // Output may still be draining when the exit event fires.
    await new Promise((resolve) => setImmediate(resolve));

    // Assess
    expect(exit).toBe('exit code 0');
    expect(lines.sort()).toEqual(['[echo] one', '[echo] two']);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    // Prepare
    const managed = ManagedProcess.spawn({
      name: 'stubborn',
      command: 'sh',
      args: ['-c', 'trap "" TERM; echo ready; while :; do sleep 1; done'],
      onLine: () => undefined,
    });
    await new Promise<void>((resolve) => managed.child.stdout?.once('data', () => resolve()));

    // Act
    await managed.stop(200);

    // Assess
    expect(managed.exit).toBe('signal SIGKILL');
    expect(childPids()).not.toContain(managed.pid);
  });

  it('reports a command that cannot be started as exited', async () => {
    // Act
    const managed = ManagedProcess.spawn({ name: 'missing', command: '/nonexistent/server', args: [] });
    const exit = await managed.exited;

    // Assess
    expect(exit).toMatch(/exit code 127|spawn error/);
  });
});

describe('ManagedProcess when its owner goes away', () => {
  const fixture = join(__dirname, 'test-helpers', 'spawnSleeper.ts');

  async function startOwner(): Promise<{ owner: ChildProcess; sleeperPid: number }> {
    const owner = spawn(process.execPath, ['--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve) => {
      createInterface({ input: owner.stdout as Readable }).once('line', resolve);
    });
    return { owner, sleeperPid: Number(/sleeper (\d+)/.exec(line)?.[1]) };
  }

  function isRunning(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  async function waitUntilGone(pid: number): Promise<boolean> {
    for (let i = 0; i < 50 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    return !isRunning(pid);
  }

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'takes its children along when the owner gets %s',
    async (signal) => {
      // Prepare
      const { owner, sleeperPid } = await startOwner();
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        owner.once('exit', (_, s) => resolve(s)),
      );
      expect(isRunning(sleeperPid)).toBe(true);

      // Act
      owner.kill(signal);

      // Assess
      expect(await exited).toBe(signal);
      expect(await waitUntilGone(sleeperPid)).toBe(true);
    },
    30_000,
  );
});
