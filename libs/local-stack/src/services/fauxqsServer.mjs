// Child-process entry for fauxqs (S3 + SQS). fauxqs is ESM-only, which Jest's CommonJS module system cannot
// load, so it runs under plain Node and reports its port over IPC. It binds loopback only (its own
// startFauxqs() would bind every interface) and exits when its parent goes away.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false });

async function shutdown() {
  try {
    await app.close();
  } finally {
    process.exit(0);
  }
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);

try {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ type: 'listening', port: Number(new URL(address).port) });
} catch (error) {
  console.error(error);
  process.exit(1);
}
