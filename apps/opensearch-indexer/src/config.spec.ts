import { ConfigError } from '@shardline/aws';
import { unreadVariables } from '@shardline/contract';
import { configSpec, CONSUMER, loadIndexerConfig } from './config';

const base = { QUARANTINE_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/q' };

describe('loadIndexerConfig', () => {
  it('reads every variable the pipeline contract declares for the indexer', () => {
    // Assess
    expect(unreadVariables(CONSUMER, configSpec)).toEqual([]);
  });

  it('defaults the prefix and the bulk cap when only an endpoint is given', () => {
    // Act
    const config = loadIndexerConfig({ ...base, OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9200' });

    // Assess
    expect(config).toMatchObject({
      indexPrefix: 'events',
      bulkMaxBytes: 5 * 1024 * 1024,
      domainName: undefined,
    });
  });

  it.each(['Events', '-events', '_x', 'a,b', 'a*', '../x', 'x'.repeat(201)])(
    'refuses the index prefix %s at cold start',
    (prefix) => {
      // Act
      const load = () =>
        loadIndexerConfig({
          ...base,
          OPENSEARCH_DOMAIN_NAME: 'shardline-dev',
          OPENSEARCH_INDEX_PREFIX: prefix,
        });

      // Assess
      expect(load).toThrow(/OPENSEARCH_INDEX_PREFIX/);
    },
  );

  it('requires exactly one of the endpoint and the domain name', () => {
    // Act
    const neither = () => loadIndexerConfig(base);
    const both = () =>
      loadIndexerConfig({
        ...base,
        OPENSEARCH_ENDPOINT: 'https://x.example',
        OPENSEARCH_DOMAIN_NAME: 'shardline-dev',
      });

    // Assess
    expect(neither).toThrow(ConfigError);
    expect(both).toThrow(/exclusive/);
  });
});
