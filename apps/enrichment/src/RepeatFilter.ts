import {
  BatchGetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  decodeSegment,
  encodeSegment,
  IdentityWindow,
  type Segment,
  type WindowPointer,
} from './identityWindow';
import type { PublishLedger } from './PublishLedger';

/** Where a shard's window segments are stored. */
export interface WindowStore {
  /** Stores one segment of a shard. Throws on failure. */
  save(shard: string, segment: Segment, expiresAtSeconds: number, signal?: AbortSignal): Promise<void>;
  /** The shard's segments numbered `from` to `to` that still exist, in order. Throws on failure. */
  load(shard: string, from: number, to: number, signal?: AbortSignal): Promise<Segment[]>;
}

/** What a {@link RepeatFilter} needs. */
export interface RepeatFilterOptions {
  /** How long after a first copy a repeat of its identity is still dropped. 0 turns the filter off. */
  windowMs: number;
  store: WindowStore;
  /** Where the windows' pointers live (and a parent shard's, found by its key). */
  ledger: PublishLedger;
  /** The shards a shard was split or merged from (`<eventSourceARN>#<shardId>` keys). Throws on failure. */
  parentsOf(shard: string, signal?: AbortSignal): Promise<string[]>;
  /** Windows kept in memory between invocations, most recently used first. Default 4. */
  cachedShards?: number;
}

/** Parents of parents are followed this far: two reshards within one window are already rare. */
const MAX_ANCESTRY = 3;
/** Segments read per BatchGetItem (its maximum), and requests in flight at once. */
const KEYS_PER_REQUEST = 100;
const REQUESTS_IN_FLIGHT = 4;
/** Segments outlive their window by a day, so a late cold start still finds them; TTL deletion is free. */
const TTL_SLACK_SECONDS = 24 * 3600;

/**
 * Opens each raw shard's {@link IdentityWindow}: from memory when this container processed the shard last (the
 * pointer in the ledger item says whether it did), from the stored segments otherwise, and for a shard that has
 * no window yet, from its parent shards' windows (after a split or a merge Lambda finishes the parents first, and a
 * producer's retry may have landed on either side).
 */
export class RepeatFilter {
  readonly windowMs: number;
  readonly #options: RepeatFilterOptions;
  readonly #cache = new Map<string, IdentityWindow>();

  constructor(options: RepeatFilterOptions) {
    this.#options = options;
    this.windowMs = options.windowMs;
  }

  /**
   * The shard's window as of `pointer` (the one its ledger item holds; `undefined` for a shard never seen).
   * Throws when the store, the ledger or the stream cannot be read.
   */
  async open(
    shard: string,
    pointer: WindowPointer | undefined,
    signal?: AbortSignal,
  ): Promise<IdentityWindow> {
    const cached = this.#cache.get(shard);
    if (pointer === undefined) {
      this.#cache.delete(shard);
      const window = new IdentityWindow(this.windowMs, {
        seq: 0,
        from: 1,
        parents: await this.#options.parentsOf(shard, signal),
      });
      for (const parent of window.pointer.parents) await this.#inherit(window, parent, 1, signal);
      return window;
    }
    if (cached && samePlace(cached.pointer, pointer)) return cached;
    if (cached && cached.pointer.seq <= pointer.seq && sameParents(cached.pointer, pointer)) {
      // Another container advanced the window since: read only what it added.
      for (const s of await this.#options.store.load(shard, cached.pointer.seq + 1, pointer.seq, signal))
        cached.load(s);
      cached.commit({ pointer });
      return cached;
    }
    this.#cache.delete(shard);
    const window = new IdentityWindow(this.windowMs, pointer);
    for (const parent of pointer.parents) await this.#inherit(window, parent, 1, signal);
    for (const s of await this.#options.store.load(shard, pointer.from, pointer.seq, signal)) window.load(s);
    return window;
  }

  /** Stores what {@link IdentityWindow.advance} returned; throws on failure (the window is then not advanced). */
  async store(
    shard: string,
    step: { segment?: Segment; pointer: WindowPointer },
    signal?: AbortSignal,
  ): Promise<void> {
    if (!step.segment) return;
    let latestMs = 0;
    for (const a of step.segment.arrivalsMs) if (a > latestMs) latestMs = a;
    const expiresAt = Math.ceil((latestMs + this.windowMs) / 1000) + TTL_SLACK_SECONDS;
    await this.#options.store.save(shard, step.segment, expiresAt, signal);
  }

  /** Keeps a window whose pointer is now stored, for this container's next invocation on the shard. */
  remember(shard: string, window: IdentityWindow): void {
    this.#cache.delete(shard);
    this.#cache.set(shard, window);
    const limit = this.#options.cachedShards ?? 4;
    for (const key of this.#cache.keys()) {
      if (this.#cache.size <= limit) break;
      this.#cache.delete(key);
    }
  }

  /** Forgets a shard's window (its stored state is no longer what memory holds). */
  forget(shard: string): void {
    this.#cache.delete(shard);
  }

  async #inherit(window: IdentityWindow, parent: string, depth: number, signal?: AbortSignal): Promise<void> {
    const { dedup } = await this.#options.ledger.load(parent, signal);
    if (!dedup) return;
    if (depth < MAX_ANCESTRY) {
      for (const grand of dedup.parents) await this.#inherit(window, grand, depth + 1, signal);
    }
    for (const s of await this.#options.store.load(parent, dedup.from, dedup.seq, signal))
      window.load({ ...s, n: 0 });
  }
}

function samePlace(a: WindowPointer, b: WindowPointer): boolean {
  return a.seq === b.seq && a.through === b.through && sameParents(a, b);
}

function sameParents(a: WindowPointer, b: WindowPointer): boolean {
  return a.parents.length === b.parents.length && a.parents.every((p, i) => p === b.parents[i]);
}

/** Key of a segment item in the ledger table, beside the shard's own item. */
export function segmentKey(shard: string, n: number): string {
  return `${shard}#window#${n}`;
}

/**
 * Window segments as items of the publish ledger's table (partition key `shard`): `<shard>#window#<n>`, with the
 * earliest arrival `base` (N, epoch ms), the entries (B, 12 bytes each) and `expiresAt` (TTL).
 */
export function dynamoDbWindowStore(dynamodb: DynamoDBClient, tableName: string): WindowStore {
  return {
    async save(shard, segment, expiresAtSeconds, signal) {
      const { baseMs, entries } = encodeSegment(segment);
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            shard: { S: segmentKey(shard, segment.n) },
            base: { N: String(baseMs) },
            entries: { B: entries },
            expiresAt: { N: String(expiresAtSeconds) },
          },
        }),
        { abortSignal: signal },
      );
    },
    async load(shard, from, to, signal) {
      const numbers: number[] = [];
      for (let n = Math.max(1, from); n <= to; n++) numbers.push(n);
      const chunks: number[][] = [];
      for (let i = 0; i < numbers.length; i += KEYS_PER_REQUEST)
        chunks.push(numbers.slice(i, i + KEYS_PER_REQUEST));
      const found = new Map<number, Segment>();
      for (let i = 0; i < chunks.length; i += REQUESTS_IN_FLIGHT) {
        await Promise.all(
          chunks.slice(i, i + REQUESTS_IN_FLIGHT).map(async (chunk) => {
            for (const item of await batchGet(
              dynamodb,
              tableName,
              chunk.map((n) => segmentKey(shard, n)),
              signal,
            )) {
              const key = item.shard!.S!;
              const n = Number(key.slice(key.lastIndexOf('#') + 1));
              found.set(n, decodeSegment(n, Number(item.base!.N), item.entries!.B!));
            }
          }),
        );
      }
      return numbers.filter((n) => found.has(n)).map((n) => found.get(n)!);
    },
  };
}

/** BatchGetItem of up to 100 keys, consistent, retrying what DynamoDB leaves unprocessed. */
async function batchGet(
  dynamodb: DynamoDBClient,
  tableName: string,
  keys: string[],
  signal?: AbortSignal,
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let request: Record<string, AttributeValue>[] = keys.map((k) => ({ shard: { S: k } }));
  for (let attempt = 0; request.length > 0; attempt++) {
    if (attempt >= 10) throw new Error(`BatchGetItem left ${request.length} window segments unread`);
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    const out = await dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: request, ConsistentRead: true } } }),
      { abortSignal: signal },
    );
    items.push(...(out.Responses?.[tableName] ?? []));
    request = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, AttributeValue>[];
  }
  return items;
}

/**
 * The parents of a raw shard from ListShards on its stream (`ParentShardId`, `AdjacentParentShardId`), as ledger
 * keys. Called once per shard, on its first invocation.
 */
export function kinesisShardParents(
  kinesis: KinesisClient,
): (shard: string, signal?: AbortSignal) => Promise<string[]> {
  return async (shard, signal) => {
    const hash = shard.lastIndexOf('#');
    const arn = shard.slice(0, hash);
    const shardId = shard.slice(hash + 1);
    const streamName = arn.slice(arn.indexOf(':stream/') + ':stream/'.length);
    let nextToken: string | undefined;
    do {
      const out = await kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
        { abortSignal: signal },
      );
      const found = out.Shards?.find((s) => s.ShardId === shardId);
      if (found) {
        return [found.ParentShardId, found.AdjacentParentShardId]
          .filter((p): p is string => typeof p === 'string' && p.length > 0)
          .map((p) => `${arn}#${p}`);
      }
      nextToken = out.NextToken;
    } while (nextToken);
    return [];
  };
}
