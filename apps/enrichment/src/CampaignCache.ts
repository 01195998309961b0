import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import type { Enrichment } from '@shardline/schema';

/** Campaign reference data as enrichment attaches it; unknown campaigns are data (`known: false`), not errors. */
export type CampaignInfo = Enrichment['campaign'];

/** Result of {@link CampaignCache.resolve}: what is known, and the ids whose lookup failed transiently. */
export interface CampaignLookup {
  campaigns: Map<string, CampaignInfo>;
  failed: Set<string>;
}

const UNKNOWN: CampaignInfo = Object.freeze({ known: false });
const BATCH_GET_MAX_KEYS = 100;
const MAX_ENTRIES = 50_000;

/**
 * Campaign reference data from a DynamoDB table (partition key `campaignId`), fetched with BatchGetItem for the
 * distinct campaigns of a batch and cached across invocations for `ttlMs`, including negative answers.
 */
export class CampaignCache {
  readonly #entries = new Map<string, { info: CampaignInfo; expiresAt: number }>();

  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly ttlMs: number,
    private readonly options: { maxAttempts?: number; baseDelayMs?: number; now?: () => number } = {},
  ) {}

  /** Looks up each distinct id once: from the cache when fresh, else with BatchGetItem (100 keys per call). */
  async resolve(ids: Iterable<string>, signal?: AbortSignal): Promise<CampaignLookup> {
    const now = (this.options.now ?? Date.now)();
    const campaigns = new Map<string, CampaignInfo>();
    const missingSet = new Set<string>();
    for (const id of ids) {
      if (campaigns.has(id) || missingSet.has(id)) continue;
      const hit = this.#entries.get(id);
      if (hit && hit.expiresAt > now) campaigns.set(id, hit.info);
      else missingSet.add(id);
    }
    const missing = [...missingSet];
    const failed = new Set<string>();
    for (let i = 0; i < missing.length; i += BATCH_GET_MAX_KEYS) {
      const chunk = missing.slice(i, i + BATCH_GET_MAX_KEYS);
      const { found, unresolved } = await this.#fetch(chunk, signal);
      for (const id of chunk) {
        if (unresolved.has(id)) {
          failed.add(id);
          continue;
        }
        const info = found.get(id) ?? UNKNOWN;
        campaigns.set(id, info);
        this.#remember(id, info, now);
      }
    }
    return { campaigns, failed };
  }

  /** Seeds the cache, e.g. to warm it from a known list of campaigns; entries expire like fetched ones. */
  prime(entries: Iterable<[string, CampaignInfo]>): void {
    const now = (this.options.now ?? Date.now)();
    for (const [id, info] of entries) this.#remember(id, info, now);
  }

  #remember(id: string, info: CampaignInfo, now: number): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(id, { info, expiresAt: now + this.ttlMs });
  }

  async #fetch(
    ids: string[],
    signal?: AbortSignal,
  ): Promise<{ found: Map<string, CampaignInfo>; unresolved: Set<string> }> {
    const found = new Map<string, CampaignInfo>();
    const maxAttempts = this.options.maxAttempts ?? 4;
    let request: KeysAndAttributes | undefined = {
      Keys: ids.map((id) => ({ campaignId: { S: id } })),
      ProjectionExpression: 'campaignId, #n, advertiser',
      ExpressionAttributeNames: { '#n': 'name' },
    };
    for (let attempt = 1; request?.Keys?.length; attempt++) {
      try {
        const out: BatchGetItemCommandOutput = await this.dynamodb.send(
          new BatchGetItemCommand({ RequestItems: { [this.tableName]: request } }),
          {
            abortSignal: signal,
          },
        );
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const id = item.campaignId?.S;
          if (!id) continue;
          const info: CampaignInfo = { known: true };
          if (item.name?.S !== undefined) info.name = item.name.S;
          if (item.advertiser?.S !== undefined) info.advertiser = item.advertiser.S;
          found.set(id, info);
        }
        request = out.UnprocessedKeys?.[this.tableName];
      } catch {
        // Throttling or a network error: the keys of `request` stay unresolved unless a retry succeeds.
        if (attempt >= maxAttempts || signal?.aborted) break;
      }
      if (!request?.Keys?.length) break;
      if (attempt >= maxAttempts || signal?.aborted) break;
      await new Promise((r) =>
        setTimeout(r, Math.random() * (this.options.baseDelayMs ?? 50) * 2 ** (attempt - 1)),
      );
    }
    const unresolved = new Set((request?.Keys ?? []).map((k) => k.campaignId?.S ?? ''));
    return { found, unresolved };
  }
}
