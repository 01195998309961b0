import { DescribeDomainCommand, type OpenSearchClient } from '@aws-sdk/client-opensearch';
import { EndpointResolutionError } from './errors';

/**
 * The HTTPS endpoint of an Amazon OpenSearch Service domain, from DescribeDomain: the VPC endpoint for a VPC
 * domain, else the public one.
 *
 * @example
 * ```ts
 * const endpoint = await resolveDomainEndpoint(createClient(OpenSearchClient), 'shardline-dev');
 * // 'https://vpc-shardline-dev-abc123.eu-west-1.es.amazonaws.com'
 * ```
 * @throws {EndpointResolutionError} when the call fails or the domain has no endpoint yet (still being created).
 */
export async function resolveDomainEndpoint(
  client: OpenSearchClient,
  domainName: string,
  signal?: AbortSignal,
): Promise<string> {
  let status;
  try {
    ({ DomainStatus: status } = await client.send(new DescribeDomainCommand({ DomainName: domainName }), {
      abortSignal: signal,
    }));
  } catch (error) {
    throw new EndpointResolutionError(`DescribeDomain ${domainName} failed`, { cause: error });
  }
  const host = status?.Endpoints?.vpc ?? status?.Endpoint ?? status?.EndpointV2;
  if (!host) throw new EndpointResolutionError(`domain ${domainName} has no endpoint yet`);
  return `https://${host}`;
}
