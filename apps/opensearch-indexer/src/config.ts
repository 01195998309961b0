import { ConfigError, int, loadConfig, optionalStr, str, url } from '@shardline/aws';
import {
  DEFAULT_BULK_MAX_BYTES,
  DEFAULT_INDEX_PREFIX,
  DOMAIN_NAME_PATTERN,
  INDEX_PREFIX_PATTERN,
  MAX_BULK_MAX_BYTES,
  MIN_BULK_MAX_BYTES,
} from './constants';

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
  const spec = {
    quarantineQueueUrl: url('QUARANTINE_QUEUE_URL'),
    endpoint: optionalStr('OPENSEARCH_ENDPOINT'),
    domainName: optionalStr('OPENSEARCH_DOMAIN_NAME', { pattern: DOMAIN_NAME_PATTERN }),
    indexPrefix: str('OPENSEARCH_INDEX_PREFIX', {
      default: DEFAULT_INDEX_PREFIX,
      pattern: INDEX_PREFIX_PATTERN,
    }),
    bulkMaxBytes: int('OPENSEARCH_BULK_MAX_BYTES', {
      default: DEFAULT_BULK_MAX_BYTES,
      min: MIN_BULK_MAX_BYTES,
      max: MAX_BULK_MAX_BYTES,
    }),
    region: str('AWS_REGION', { default: env.AWS_DEFAULT_REGION ?? 'us-east-1' }),
    timeoutGuardMs: int('TIMEOUT_GUARD_MS', { default: 1_000, min: 1, max: 60_000 }),
  };
  const config = loadConfig(spec, env);
  const problems = [];
  if (config.endpoint === undefined && config.domainName === undefined) {
    problems.push({ variable: 'OPENSEARCH_ENDPOINT', message: 'or OPENSEARCH_DOMAIN_NAME must be set' });
  } else if (config.endpoint !== undefined && config.domainName !== undefined) {
    problems.push({
      variable: 'OPENSEARCH_ENDPOINT',
      message: 'and OPENSEARCH_DOMAIN_NAME are exclusive: set one',
    });
  }
  if (config.endpoint !== undefined) {
    try {
      url('OPENSEARCH_ENDPOINT').read(config.endpoint);
    } catch (error) {
      problems.push({ variable: 'OPENSEARCH_ENDPOINT', message: (error as Error).message });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The indexer's validated configuration. */
export type IndexerConfig = ReturnType<typeof loadIndexerConfig>;
