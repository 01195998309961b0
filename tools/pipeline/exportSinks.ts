import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFormat } from '@shardline/contract';
import type { ContentsByFormat, OutputContents, SinkContents } from './readSinks';

const ndjson = (items: readonly unknown[]) => items.map((item) => `${JSON.stringify(item)}\n`).join('');
const lines = (texts: readonly string[]) => texts.map((text) => `${text.replace(/\n/g, ' ')}\n`).join('');

/** Per format, the files an output is exported as, by the suffix added to its name. */
const EXPORTS: { [F in OutputFormat]: (contents: ContentsByFormat[F]) => Record<string, string> } = {
  'ndjson-gzip': ({ lines: l, objects }) => ({
    '.ndjson': lines(l),
    '-objects.json': `${JSON.stringify(objects, null, 2)}\n`,
  }),
  documents: ({ documents }) => ({ '.ndjson': ndjson(documents) }),
  'minute-counters': ({ rows }) => ({ '.ndjson': ndjson(rows) }),
  'json-records': ({ records }) => ({ '.ndjson': lines(records) }),
  'quarantine-messages': ({ messages }) => ({ '.ndjson': lines(messages) }),
};

/** An output's file name: its resource's name, a stream's prefixed so that it cannot collide with a resource's. */
function baseName({ output }: OutputContents): string {
  return output.kind === 'stream' ? `stream-${output.name}` : output.name;
}

/**
 * Writes what the outputs hold into `dir`, for anyone to check independently, one file per output named after
 * its resource, by format: `ndjson-gzip` as `<name>.ndjson` (every line of every object, decompressed) and
 * `<name>-objects.json` (key, bytes, records); `documents` (`_index`, `_id`, `_source`) and `minute-counters`
 * (campaignId, type, windowStart, count, revenueMicros) as `<name>.ndjson`; `json-records` of a stream as
 * `stream-<name>.ndjson`; `quarantine-messages` as `<name>.ndjson`, every message as received, or as stored
 * whole in the overflow bucket prefix when it was too large for the queue.
 */
export function exportSinks(dir: string, sinks: SinkContents): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const output of sinks.outputs) {
    const write = EXPORTS[output.output.format] as (c: typeof output.contents) => Record<string, string>;
    for (const [suffix, content] of Object.entries(write(output.contents))) {
      const file = join(dir, `${baseName(output)}${suffix}`);
      writeFileSync(file, content);
      files.push(file);
    }
  }
  return files;
}
