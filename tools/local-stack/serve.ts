/**
 * Runs the local stack until SIGINT/SIGTERM and describes it in a state file that tests find through
 * SHARDLINE_LOCAL_STACK.
 *
 *   npx tsx tools/local-stack/serve.ts --services kinesis,dynamodb,s3,sqs,opensearch --state-file tmp/local-stack.json
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  SERVICE_NAMES,
  startLocalStack,
  type LocalStackState,
  type ServiceName,
} from '@shardline/local-stack';

const USAGE = `usage: tsx tools/local-stack/serve.ts [--services ${SERVICE_NAMES.join(',')}] [--state-file PATH] [--quiet]
  --services    comma-separated services to run (default: all)
  --state-file  where to write {endpoints, region, env} (default: tmp/local-stack.json); removed on exit
  --quiet       do not echo the services' own output`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parse(): { services: ServiceName[]; stateFile: string; quiet: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        services: { type: 'string' },
        'state-file': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const services = (values.services ?? SERVICE_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const unknown = services.filter((name) => !SERVICE_NAMES.includes(name as ServiceName));
  if (unknown.length > 0) fail(`unknown service(s): ${unknown.join(', ')}`);
  if (services.length === 0) fail('no service given');
  return {
    services: services as ServiceName[],
    stateFile: resolve(values['state-file'] ?? 'tmp/local-stack.json'),
    quiet: values.quiet ?? false,
  };
}

async function main(): Promise<void> {
  const { services, stateFile, quiet } = parse();
  const began = performance.now();
  const stack = await startLocalStack({
    services,
    log: (line) => {
      if (!quiet || line.includes(' ready at ')) console.log(line);
    },
  });
  const state: LocalStackState = { endpoints: stack.endpoints, region: stack.region, env: stack.env() };
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);

  console.log(`local stack up in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  for (const [service, endpoint] of Object.entries(stack.endpoints))
    console.log(`  ${service.padEnd(10)} ${endpoint}`);
  console.log(`state file: ${stateFile}  (export SHARDLINE_LOCAL_STACK=${stateFile})`);
  console.log('Ctrl-C to stop');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    rmSync(stateFile, { force: true });
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
