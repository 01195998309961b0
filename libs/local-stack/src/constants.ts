import type { ServiceName } from './types';

/** Every service the local stack can run, in start order (slowest first, so waits overlap). */
export const SERVICE_NAMES: readonly ServiceName[] = ['opensearch', 'dynamodb', 'kinesis', 's3', 'sqs'];

/** Region every local endpoint answers for. */
export const LOCAL_REGION = 'us-east-1';

/** Dummy credentials; the emulators accept any. */
export const LOCAL_ACCESS_KEY_ID = 'test';
export const LOCAL_SECRET_ACCESS_KEY = 'test';

/** Loopback address every server binds to (DynamoDB Local excepted: it has no bind option). */
export const LOOPBACK = '127.0.0.1';

/** OpenSearch 2.19 is the last line that runs on Java 17. */
export const OPENSEARCH_VERSION = '2.19.6';
export const OPENSEARCH_MAVEN_ARTIFACT = `org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip`;
export const OPENSEARCH_DEFAULT_HEAP = '512m';

/** OpenSearch refuses to run as root: when we are root it runs as this unprivileged user (Debian's nobody). */
export const UNPRIVILEGED_UID = 65534;
export const UNPRIVILEGED_GID = 65534;

/** Kinesalite simulates CREATING/DELETING/UPDATING for this long; short keeps tests quick. */
export const KINESIS_TRANSITION_MS = 10;
export const KINESIS_SHARD_LIMIT = 100;

/** How long a service may take to become ready before start fails. */
export const STARTUP_TIMEOUT_MS: Readonly<Record<ServiceName, number>> = {
  kinesis: 10_000,
  dynamodb: 60_000,
  s3: 20_000,
  sqs: 20_000,
  opensearch: 180_000,
};

/** Grace period between SIGTERM and SIGKILL when stopping a child process. */
export const STOP_GRACE_MS = 15_000;

/** Environment variables the stack reads. */
export const ENV = {
  sharedStackFile: 'SHARDLINE_LOCAL_STACK',
  cacheDir: 'SHARDLINE_CACHE_DIR',
  openSearchHome: 'SHARDLINE_OPENSEARCH_HOME',
  openSearchHeap: 'SHARDLINE_OPENSEARCH_HEAP',
  openSearchJavaHome: 'OPENSEARCH_JAVA_HOME',
  javaHome: 'JAVA_HOME',
} as const;
