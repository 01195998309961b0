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
