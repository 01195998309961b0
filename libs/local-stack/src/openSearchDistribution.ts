import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENV, OPENSEARCH_MAVEN_ARTIFACT, OPENSEARCH_VERSION } from './constants';
import { ArtefactError } from './errors';
import type { LogLine } from './types';

const run = promisify(execFile);

/**
 * Where downloaded servers are kept: SHARDLINE_CACHE_DIR, else `~/.cache/shardline`. As root the default is
 * `/var/cache/shardline`, because OpenSearch then runs as an unprivileged user who cannot enter `/root`.
 */
export function cacheDirectory(): string {
  const configured = process.env[ENV.cacheDir];
  if (configured) return configured;
  if (process.getuid?.() === 0) return '/var/cache/shardline';
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shardline');
}

/** Home of the OpenSearch distribution: SHARDLINE_OPENSEARCH_HOME, else the unpacked copy in the cache. */
export function openSearchHome(): string {
  return process.env[ENV.openSearchHome] ?? join(cacheDirectory(), `opensearch-${OPENSEARCH_VERSION}`);
}

/**
 * Makes sure the OpenSearch distribution is unpacked, fetching the zip from Maven Central with `mvn` if needed.
 * Idempotent and quick when cached; safe when several processes call it at once (unpack, then rename).
 */
export async function ensureOpenSearch(log?: LogLine): Promise<string> {
  const home = openSearchHome();
  if (existsSync(join(home, 'bin', 'opensearch'))) return home;
  if (process.env[ENV.openSearchHome]) {
    throw new ArtefactError(
      `${ENV.openSearchHome}=${home} holds no OpenSearch distribution (bin/opensearch missing)`,
    );
  }
  const cache = cacheDirectory();
  mkdirSync(cache, { recursive: true, mode: 0o755 });
  const zip = join(cache, `opensearch-${OPENSEARCH_VERSION}.zip`);
  if (!existsSync(zip)) {
    log?.(`[opensearch] fetching ${OPENSEARCH_MAVEN_ARTIFACT} with Maven`);
    const staging = mkdtempSync(join(cache, 'download-'));
    try {
      await run(
        'mvn',
        [
          '-B',
          '-q',
          'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
          `-Dartifact=${OPENSEARCH_MAVEN_ARTIFACT}`,
          `-DoutputDirectory=${staging}`,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      renameSync(join(staging, `opensearch-${OPENSEARCH_VERSION}.zip`), zip);
    } catch (error) {
      throw new ArtefactError(`cannot fetch ${OPENSEARCH_MAVEN_ARTIFACT} with mvn (is Maven installed?)`, {
        cause: error,
      });
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  log?.(`[opensearch] unpacking ${zip}`);
  const staging = mkdtempSync(join(cache, 'unpack-'));
  try {
    await run('unzip', ['-q', zip, '-d', staging]);
    try {
      renameSync(join(staging, `opensearch-${OPENSEARCH_VERSION}`), home);
    } catch (error) {
      // Another process unpacked it first.
      if (!existsSync(join(home, 'bin', 'opensearch'))) throw error;
    }
  } catch (error) {
    throw new ArtefactError(`cannot unpack ${zip} into ${home} (is unzip installed?)`, { cause: error });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return home;
}
