import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LocalStack, LocalStackState, ServiceName } from '@shardline/local-stack';
import { PipelineError } from './errors';

/**
 * Runs the local stack in a child process (`tools/local-stack/serve.ts`) and resolves once its state file exists.
 *
 * Why a child: `npm start` runs with `--conditions=import` (middy v7 is ESM-only), under which kinesalite's
 * `require('bignumber.js')` gets the ESM build and fails, so kinesalite cannot live in this process. The child runs
 * without that condition; its services die with it (`stop()`, or the kernel when we are killed).
 */
export async function startStackProcess(options: {
  root: string;
  stateFile: string;
  log: (line: string) => void;
  timeoutMs?: number;
  /** Services to run; all of them by default. */
  services?: readonly ServiceName[];
}): Promise<LocalStack> {
  const { root, stateFile, log } = options;
  mkdirSync(dirname(stateFile), { recursive: true });
  rmSync(stateFile, { force: true });
  const nodeOptions = (process.env.NODE_OPTIONS ?? '').replace(/--conditions[= ]import/g, '').trim();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'tools', 'local-stack', 'serve.ts'),
      '--services',
      (options.services ?? ['kinesis', 'dynamodb', 's3', 'sqs', 'opensearch']).join(','),
      '--state-file',
      stateFile,
      '--quiet',
    ],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: nodeOptions }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`  stack: ${line}`);
  };
  child.stdout.on('data', forward);
  child.stderr.on('data', forward);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let state: LocalStackState | undefined;
  while (!(state = readState(stateFile))) {
    if (gone) throw new PipelineError('the local stack exited before it was ready (see its output above)');
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new PipelineError('the local stack was not ready in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ready = state;
  return {
    endpoints: ready.endpoints,
    region: ready.region,
    env: () => ({ ...ready.env }),
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

function readState(file: string): LocalStackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalStackState;
  } catch {
    return undefined; // still being written
  }
}
