import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servedIngestNames } from './frontDoor';

describe('servedIngestNames', () => {
  const workspace = (files: string[]) => {
    const root = mkdtempSync(join(tmpdir(), 'front-door-'));
    for (const file of files) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '{}');
    }
    return root;
  };

  it('serves an ingest API whose app will be built, whose bundle exists, or whose bundle is given', () => {
    // Act
    const toBuild = servedIngestNames(workspace(['apps/ingest-api/project.json']), 'stream', true);
    const built = servedIngestNames(workspace(['dist/apps/ingest-api/index.js']), 'http', false);
    const given = servedIngestNames(workspace([]), 'http', false, { 'ingest-api': '/some/bundle.js' });

    // Assess
    for (const served of [toBuild, built, given])
      expect(served).toEqual({ names: ['ingest-api'], notes: [] });
  });

  it('notes an ingest API it cannot serve, and refuses to go on without it with --via http', () => {
    // Prepare
    const noApp = workspace([]);
    const unbuilt = workspace(['apps/ingest-api/project.json']);

    // Act & Assess
    expect(servedIngestNames(noApp, 'stream', true)).toEqual({
      names: [],
      notes: ['ingest-api not served: apps/ingest-api does not exist yet'],
    });
    expect(servedIngestNames(unbuilt, 'stream', false).notes).toEqual([
      `ingest-api not served: ${join(unbuilt, 'dist/apps/ingest-api/index.js')} is not built`,
    ]);
    expect(() => servedIngestNames(noApp, 'http', true)).toThrow(
      '--via http: the contract declares ingest-api, but apps/ingest-api does not exist yet',
    );
  });
});
