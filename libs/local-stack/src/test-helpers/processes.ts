import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';

/** Process ids of this process's direct children, leaving out the `ps` that lists them. */
export function childPids(): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([pid, command]) => pid && command !== 'ps')
      .map(([pid]) => Number(pid));
  } catch {
    // ps exits 1 when there is no child.
    return [];
  }
}

/** Whether something accepts TCP connections at the host and port of `url`. */
export function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
