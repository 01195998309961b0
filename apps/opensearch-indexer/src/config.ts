import { ConfigError, int, loadConfig, optionalStr, str, url } from '@shardline/aws';
import { variablesOf, type ConsumerName } from '@shardline/contract';
import {
  DEFAULT_BULK_MAX_BYTES,
  DEFAULT_INDEX_PREFIX,
  DOMAIN_NAME_PATTERN,
  INDEX_PREFIX_PATTERN,
  MAX_BULK_MAX_BYTES,
  MIN_BULK_MAX_BYTES,
} from './constants';

/** This app's name in the pipeline contract (libs/contract/pipeline.json). */
export const CONSUMER = 'opensearch-indexer' satisfies ConsumerName;
const v = variablesOf(CONSUMER);

/** What the indexer reads from its environment: the contract's variables for it, and the Lambda runtime's region. */
export const configSpec = {
  quarantineQueueUrl: url(v.QUARANTINE_QUEUE_URL),
  endpoint: optionalStr(v.OPENSEARCH_ENDPOINT),
  domainName: optionalStr(v.OPENSEARCH_DOMAIN_NAME, { pattern: DOMAIN_NAME_PATTERN }),
  indexPrefix: str(v.OPENSEARCH_INDEX_PREFIX, {
    default: DEFAULT_INDEX_PREFIX,
    pattern: INDEX_PREFIX_PATTERN,
  }),
  bulkMaxBytes: int(v.OPENSEARCH_BULK_MAX_BYTES, {
    default: DEFAULT_BULK_MAX_BYTES,
    min: MIN_BULK_MAX_BYTES,
    max: MAX_BULK_MAX_BYTES,
  }),
  timeoutGuardMs: int(v.TIMEOUT_GUARD_MS, { default: 1_000, min: 1, max: 60_000 }),
};

/**
 * The indexer's environment, validated at cold start. Exactly one of OPENSEARCH_ENDPOINT (a URL: the local server,
 * or a domain endpoint known in advance) and OPENSEARCH_DOMAIN_NAME (resolved with DescribeDomain) is required.
 *
 * @example
 * ```ts
 * const config = loadIndexerConfig({ OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9200', QUARANTINE_QUEUE_URL: '...' });
 * config.indexPrefix; // 'events'
 * ```
 * @throws {ConfigError} naming every missing or malformed variable.
 */
export function loadIndexerConfig(env: Record<string, string | undefined> = process.env) {
  // The region defaults to AWS_DEFAULT_REGION, which only the environment at hand knows.
  const spec = {
    ...configSpec,
    region: str(v.AWS_REGION, { default: env[v.AWS_DEFAULT_REGION] ?? 'us-east-1' }),
  };
  const config = loadConfig(spec, env);
  const problems = [];
  if (config.endpoint === undefined && config.domainName === undefined) {
    problems.push({ variable: v.OPENSEARCH_ENDPOINT, message: `or ${v.OPENSEARCH_DOMAIN_NAME} must be set` });
  } else if (config.endpoint !== undefined && config.domainName !== undefined) {
    problems.push({
      variable: v.OPENSEARCH_ENDPOINT,
      message: `and ${v.OPENSEARCH_DOMAIN_NAME} are exclusive: set one`,
    });
  }
  if (config.endpoint !== undefined) {
    try {
      url(v.OPENSEARCH_ENDPOINT).read(config.endpoint);
    } catch (error) {
      problems.push({ variable: v.OPENSEARCH_ENDPOINT, message: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The indexer's validated configuration. */
export type IndexerConfig = ReturnType<typeof loadIndexerConfig>;
