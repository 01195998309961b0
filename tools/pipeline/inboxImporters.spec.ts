import { resolve } from 'node:path';
import { contract, ingestNames, ingestSettings } from '@shardline/contract';
import { inboxImporters } from './inboxImporters';
import { localTopology } from './localTopology';

describe('inboxImporters', () => {
  it('runs every ingest function the contract triggers by an S3 inbox, sized by its contract settings', () => {
    // Prepare
    const topology = localTopology({ root: resolve(__dirname, '..', '..'), namePrefix: 't-' });
    const expected = ingestNames.filter((name) => contract.ingest[name].trigger === 's3-inbox');

    // Act
    const importers = inboxImporters(topology);

    // Assess
    expect(importers.map((i) => i.name)).toEqual(expected);
    for (const importer of importers) {
      const settings = ingestSettings(importer.name, topology.environment);
      expect(importer).toMatchObject({
        timeoutSeconds: settings.timeout_seconds,
        memorySize: settings.memory_size,
        onFailureQueue: `t-shardline-dev-${importer.name}-failures`,
      });
      expect(importer.bucket.startsWith('t-shardline-dev-')).toBe(true);
      expect(importer.prefix.endsWith('/')).toBe(true);
    }
  });
});
