import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkContents } from './readSinks';

const ndjson = (items: readonly unknown[]) => items.map((item) => `${JSON.stringify(item)}\n`).join('');

/**
 * Writes what the sinks hold into `dir`, for anyone to check independently: archive.ndjson (every line of every
 * archive object, decompressed), archive-objects.json (key, bytes, records), opensearch.ndjson (`_index`, `_id`,
 * `_source`), aggregates.ndjson (campaignId, type, windowStart, count, revenueMicros) and quarantine.ndjson (every
 * quarantine message as received).
 */
export function exportSinks(dir: string, sinks: SinkContents): string[] {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'archive.ndjson': sinks.archiveLines.map((line) => `${line}\n`).join(''),
    'archive-objects.json': `${JSON.stringify(sinks.archiveObjects, null, 2)}\n`,
    'opensearch.ndjson': ndjson(sinks.documents),
    'aggregates.ndjson': ndjson(sinks.aggregates),
    'quarantine.ndjson': sinks.quarantine.map((body) => `${body.replace(/\n/g, ' ')}\n`).join(''),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return Object.keys(files).map((name) => join(dir, name));
}
