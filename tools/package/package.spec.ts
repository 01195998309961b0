import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageApp } from './package';

describe('packageApp', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'shardline-package-'));
    const bundle = join(workspace, 'dist', 'apps', 'enrichment');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(join(bundle, 'index.js'), 'exports.handler = async () => ({});\n');
    writeFileSync(join(bundle, 'index.js.map'), '{"version":3}');
  });

  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it('writes dist/packages/<app>.zip and reports its base64 SHA-256', () => {
    // Act
    const result = packageApp('enrichment', workspace);

    // Assess
    const zip = readFileSync(join(workspace, 'dist', 'packages', 'enrichment.zip'));
    expect(result.zipPath).toBe(join(workspace, 'dist', 'packages', 'enrichment.zip'));
    expect(result.bytes).toBe(zip.length);
    expect(result.sha256Base64).toBe(createHash('sha256').update(zip).digest('base64'));
  });

  it('gives the same hash for a rebuilt bundle with new file times', () => {
    // Prepare
    const first = packageApp('enrichment', workspace);
    const file = join(workspace, 'dist', 'apps', 'enrichment', 'index.js');
    utimesSync(file, new Date('2031-05-05T05:05:05Z'), new Date('2031-05-05T05:05:05Z'));

    // Act
    const second = packageApp('enrichment', workspace);

    // Assess
    expect(second.sha256Base64).toBe(first.sha256Base64);
  });

  it('produces an archive unzip accepts', () => {
    // Act
    const { zipPath } = packageApp('enrichment', workspace);
    const listing = execFileSync('unzip', ['-t', zipPath], { encoding: 'utf8' });

    // Assess
    expect(listing).toContain('testing: index.js ');
    expect(listing).toContain('testing: index.js.map ');
    expect(listing).toContain('No errors detected');
  });

  it('says which build to run when the bundle is missing', () => {
    // Act
    const act = () => packageApp('s3-archiver', workspace);

    // Assess
    expect(act).toThrow('run "npx nx run s3-archiver:build" first');
  });
});
