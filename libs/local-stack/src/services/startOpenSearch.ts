import {
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENV,
  LOOPBACK,
  OPENSEARCH_DEFAULT_HEAP,
  STARTUP_TIMEOUT_MS,
  UNPRIVILEGED_GID,
  UNPRIVILEGED_UID,
} from '../constants';
import { ServiceStartError } from '../errors';
import { javaHome } from '../javaHome';
import { ManagedProcess } from '../ManagedProcess';
import { ensureOpenSearch } from '../openSearchDistribution';
import type { LogLine, RunningService } from '../types';
import { waitFor } from '../waitFor';

const RUNTIME_PREFIX = 'shardline-opensearch-';
const OWNER_FILE = 'owner.pid';

// "[o.o.h.AbstractHttpServerTransport] [node] publish_address {127.0.0.1:40123}, bound_addresses {...}"
const HTTP_PUBLISH = /HttpServerTransport.*publish_address \{([^}]+)\}/;

/**
 * Starts the real OpenSearch server as a child process: single node, plain HTTP on an ephemeral loopback port
 * (it binds port 0 itself and logs the port), no security plugin (the integ-test distribution has none), data,
 * logs and config in a temporary directory that stop() removes. Ready when cluster health is yellow or green.
 */
export async function startOpenSearch(log?: LogLine): Promise<RunningService> {
  const home = await ensureOpenSearch(log);
  const runtime = prepareRuntimeDirectory(home);
  const runAs = { uid: UNPRIVILEGED_UID, gid: UNPRIVILEGED_GID };
  let endpoint: string | undefined;
  const managed = ManagedProcess.spawn({
    name: 'opensearch',
    command: join(home, 'bin', 'opensearch'),
    args: [
      '-Ecluster.name=shardline-local',
      '-Enode.name=shardline-local',
      '-Ediscovery.type=single-node',
      `-Enetwork.host=${LOOPBACK}`,
      '-Ehttp.port=0',
      '-Etransport.port=0',
      `-Epath.data=${join(runtime, 'data')}`,
      `-Epath.logs=${join(runtime, 'logs')}`,
      // A nearly full disk would otherwise make every index read-only.
      '-Ecluster.routing.allocation.disk.threshold_enabled=false',
    ],
    cwd: runtime,
    env: {
      ...process.env,
      OPENSEARCH_JAVA_HOME: javaHome(),
      OPENSEARCH_PATH_CONF: join(runtime, 'config'),
      OPENSEARCH_TMPDIR: join(runtime, 'tmp'),
      OPENSEARCH_JAVA_OPTS: '',
    },
    runAs,
    log,
    onLine: (line) => {
      const match = HTTP_PUBLISH.exec(line);
      if (match && endpoint === undefined) endpoint = `http://${match[1]}`;
    },
  });
  const removeRuntime = () => rmSync(runtime, { recursive: true, force: true });
  try {
    await waitFor(async () => endpoint !== undefined && (await isHealthy(endpoint)), {
      timeoutMs: STARTUP_TIMEOUT_MS.opensearch,
      intervalMs: 250,
      what: 'OpenSearch',
      // Connection refused until the node listens: not ready yet.
      probeErrors: 'retry',
      abort: managed.exited.then((how) => Promise.reject(new Error(`exited (${how})`))),
    });
  } catch (error) {
    await managed.stop();
    removeRuntime();
    throw new ServiceStartError('opensearch', (error as Error).message, managed.recentOutput(), {
      cause: error,
    });
  }
  return {
    endpoint: endpoint as string,
    async stop() {
      await managed.stop();
      removeRuntime();
    },
  };
}

async function isHealthy(endpoint: string): Promise<boolean> {
  const response = await fetch(`${endpoint}/_cluster/health?wait_for_status=yellow&timeout=5s`, {
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { status?: string };
  return response.ok && (body.status === 'yellow' || body.status === 'green');
}

/** A private config (small heap, logs in the runtime directory) so the shared distribution stays untouched. */
function prepareRuntimeDirectory(home: string): string {
  removeAbandonedRuntimeDirectories();
  const runtime = mkdtempSync(join(tmpdir(), RUNTIME_PREFIX));
  writeFileSync(join(runtime, OWNER_FILE), String(process.pid));
  for (const sub of ['data', 'logs', 'tmp']) mkdirSync(join(runtime, sub));
  cpSync(join(home, 'config'), join(runtime, 'config'), { recursive: true });
  const heap = process.env[ENV.openSearchHeap] ?? OPENSEARCH_DEFAULT_HEAP;
  const jvmOptions = join(runtime, 'config', 'jvm.options');
  const rewritten = readFileSync(jvmOptions, 'utf8')
    .replace(/^-Xms\S+$/m, `-Xms${heap}`)
    .replace(/^-Xmx\S+$/m, `-Xmx${heap}`)
    // Relative paths here resolve against the distribution, which may not be writable.
    .replaceAll('logs/', `${join(runtime, 'logs')}/`)
    .replace('-XX:HeapDumpPath=data', `-XX:HeapDumpPath=${join(runtime, 'data')}`);
  writeFileSync(jvmOptions, rewritten);
  if (process.getuid?.() === 0) chownTree(runtime, UNPRIVILEGED_UID, UNPRIVILEGED_GID);
  return runtime;
}

/** Runtime directories whose owner was killed outright (SIGKILL) are removed by the next start. */
function removeAbandonedRuntimeDirectories(): void {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(RUNTIME_PREFIX)) continue;
    const directory = join(tmpdir(), entry);
    let owner: number;
    try {
      owner = Number(readFileSync(join(directory, OWNER_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (owner > 0 && !isAlive(owner)) rmSync(directory, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}
