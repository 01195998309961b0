import { createServer } from 'node:net';
import { LOOPBACK } from './constants';

/**
 * Asks the kernel for a free loopback port, for servers that cannot bind port 0 themselves.
 * Another process may grab it before the server binds; callers retry on a bind failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
