import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';

/** AWS credentials as the SDK v3 credential providers return them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Options of {@link createOpenSearchClient}. */
export interface OpenSearchClientOptions {
  /** Base URL of the cluster, e.g. `https://search-x.eu-west-1.es.amazonaws.com` or `http://127.0.0.1:9200`. */
  endpoint: string;
  /** Region of the domain, for SigV4. */
  region: string;
  /** The default credential provider chain, e.g. an SDK client's `config.credentials`. */
  credentials: () => Promise<AwsCredentials>;
}

/**
 * The OpenSearch client of the indexer. `https` endpoints (Amazon OpenSearch Service accepts nothing else) are
 * signed with SigV4 for service `es` using the default credential chain; `http` endpoints (the local server on
 * loopback) get plain requests. Keep-alive sockets, and no client-side retries: the indexer retries per item.
 *
 * @example
 * ```ts
 * const client = createOpenSearchClient({ endpoint: 'http://127.0.0.1:9200', region: 'us-east-1', credentials });
 * ```
 */
export function createOpenSearchClient(options: OpenSearchClientOptions): Client {
  const common = {
    node: options.endpoint,
    maxRetries: 0,
    agent: { keepAlive: true, maxSockets: 10 },
  };
  if (new URL(options.endpoint).protocol !== 'https:') return new Client(common);
  return new Client({
    ...common,
    ...AwsSigv4Signer({ region: options.region, service: 'es', getCredentials: options.credentials }),
  });
}
