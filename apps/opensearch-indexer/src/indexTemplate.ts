import { createHash } from 'node:crypto';
import { errors, type Client } from '@opensearch-project/opensearch';
import { CONSUMER } from './config';
import { TemplateInstallError } from './errors';

const keyword = { type: 'keyword' } as const;
// Free-text values stay searchable as exact terms but can never exceed Lucene's 32 KiB term limit.
const boundedKeyword = { type: 'keyword', ignore_above: 1024 } as const;

/** Explicit mappings of the enriched event (DESIGN.md "Contracts" and `EnrichedEvent`). */
const MAPPINGS = {
  // Unknown top-level fields (CloudEvents extensions) are kept in _source but never mapped, so hostile field names
  // cannot grow the mapping towards its field limit or make one producer's types conflict with another's.
  dynamic: false,
  properties: {
    specversion: keyword,
    id: boundedKeyword,
    source: boundedKeyword,
    type: keyword,
    time: { type: 'date', format: 'strict_date_optional_time||epoch_millis' },
    subject: boundedKeyword,
    datacontenttype: keyword,
    dataschema: boundedKeyword,
    data: {
      dynamic: false,
      properties: {
        userId: boundedKeyword,
        campaignId: keyword,
        revenueMicros: { type: 'long' },
        currency: keyword,
        deviceId: boundedKeyword,
        sessionId: boundedKeyword,
        adId: boundedKeyword,
        placement: boundedKeyword,
        country: keyword,
        platform: keyword,
        appVersion: boundedKeyword,
        // Truncated by enrichment (/24, /48): still a valid address, so CIDR queries work.
        ip: { type: 'ip' },
        userAgent: boundedKeyword,
        // Free-form: stored in _source, not indexed, so any key (dots, thousands of them) is harmless.
        attributes: { type: 'object', enabled: false },
      },
    },
    enrichment: {
      type: 'object',
      dynamic: false,
      properties: {
        campaign: {
          properties: { known: { type: 'boolean' }, name: boundedKeyword, advertiser: boundedKeyword },
        },
        device: {
          properties: {
            os: keyword,
            osVersion: boundedKeyword,
            deviceType: keyword,
            browser: boundedKeyword,
          },
        },
        ingestLagMs: { type: 'long' },
        eventDate: { type: 'date', format: 'strict_date' },
        ipTruncated: { type: 'boolean' },
      },
    },
  },
} as const;

/** An index template: its name and the body of `PUT _index_template/<name>`. */
export interface IndexTemplate {
  name: string;
  body: {
    index_patterns: string[];
    priority: number;
    template: { settings: Record<string, unknown>; mappings: typeof MAPPINGS };
    _meta: { managed_by: string; hash: string };
  };
}

/**
 * The index template of the daily indices `<prefix>-*`. Its priority grows with the prefix length, so that the
 * templates of two prefixes where one extends the other (`events`, `events-test`) never tie.
 * `_meta.hash` identifies the content, so an installed template is only rewritten when it changed.
 *
 * @example
 * ```ts
 * buildIndexTemplate('events').body.index_patterns; // ['events-*']
 * ```
 */
export function buildIndexTemplate(prefix: string): IndexTemplate {
  const content = {
    index_patterns: [`${prefix}-*`],
    priority: 100 + prefix.length,
    template: {
      // One primary per daily index suits the volumes of one stream; replicas are left to the domain's default.
      // A 10 s refresh trades search freshness for cheaper indexing of a continuous bulk stream.
      settings: { 'index.number_of_shards': 1, 'index.refresh_interval': '10s' },
      mappings: MAPPINGS,
    },
  };
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return { name: prefix, body: { ...content, _meta: { managed_by: CONSUMER, hash } } };
}

/**
 * Installs the index template unless the same content is already there (read first: many concurrent cold starts
 * then cost reads, not cluster state updates). Idempotent.
 *
 * @returns whether the template was written.
 * @throws {TemplateInstallError} when reading or writing fails.
 */
export async function installIndexTemplate(client: Client, template: IndexTemplate): Promise<boolean> {
  try {
    const existing = await client.transport.request(
      { method: 'GET', path: `/_index_template/${encodeURIComponent(template.name)}` },
      { ignore: [404] },
    );
    const found = (
      existing.body as { index_templates?: Array<{ index_template?: { _meta?: { hash?: string } } }> }
    ).index_templates?.[0]?.index_template?._meta?.hash;
    if (existing.statusCode === 200 && found === template.body._meta.hash) return false;
    await client.transport.request({
      method: 'PUT',
      path: `/_index_template/${encodeURIComponent(template.name)}`,
      body: template.body,
    });
    return true;
  } catch (error) {
    const status = error instanceof errors.ResponseError ? ` (${error.statusCode})` : '';
    throw new TemplateInstallError(`installing index template ${template.name} failed${status}`, {
      cause: error,
    });
  }
}
