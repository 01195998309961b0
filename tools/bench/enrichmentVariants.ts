import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { kinesisBatch, type KinesisBatchContext, type QuarantineSink } from '@shardline/middleware';
import { adEventSchema, type AdEvent } from '@shardline/schema';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures the app's own pure logic
import { CampaignCache, type CampaignInfo } from '../../apps/enrichment/src/CampaignCache';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { enrichBatch } from '../../apps/enrichment/src/enrich';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { encodeSegment } from '../../apps/enrichment/src/identityWindow';
// eslint-disable-next-line @nx/enforce-module-boundaries -- as above
import { RepeatFilter } from '../../apps/enrichment/src/RepeatFilter';
import { baselineHandler } from './baselinePowertools';

/** What one run of a variant over the batch produced. */
export interface VariantRun {
  /** Records enriched and published. */
  ok: number;
  /** Records refused (quarantined, or reported as failed by the baseline). */
  quarantined: number;
  /** The enriched events as published, in record order (empty for the floor). */
  out: Uint8Array[];
}

/** A benchmark variant: runs the same work over the same batch each time it is called. */
export type Variant = () => Promise<VariantRun>;

/** A Lambda context good enough for the handlers (no deadline pressure). */
export function benchContext(): Context {
  return {
    functionName: 'bench',
    awsRequestId: 'bench',
    getRemainingTimeInMillis: () => 900_000,
  } as unknown as Context;
}

/** The reference data of a campaign, as the benchmark's warm cache holds it. */
function campaignInfo(id: string): CampaignInfo {
  return { known: true, name: `Campaign ${id}`, advertiser: 'Example Games' };
}

/** Campaign reference data for every campaign id in the batch, primed so lookups hit a warm cache. */
function warmCampaigns(event: KinesisStreamEvent): CampaignCache {
  const cache = new CampaignCache(new DynamoDBClient({ region: 'us-east-1' }), 'unused', 3_600_000);
  const ids = new Set<string>();
  for (const r of event.Records) {
    try {
      const id = (JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString()) as AdEvent).data?.campaignId;
      if (typeof id === 'string') ids.add(id);
    } catch {
      // gzip, KPL or garbage: those campaigns resolve as unknown, which costs the same.
    }
  }
  cache.prime([...ids].map((id) => [id, campaignInfo(id)]));
  return cache;
}

/**
 * Shardline's enrichment path: the real middleware (decode, validate, quarantine) and enrichBatch, no network.
 * With `repeatWindowMs`, also the step that drops producers' repeats (fingerprints, classification, the segment
 * encoded as stored), on a fresh window each run.
 */
export function enrichmentVariant(
  event: KinesisStreamEvent,
  options: { repeatWindowMs?: number } = {},
): Variant {
  const cache = warmCampaigns(event);
  let quarantined = 0;
  let out: Uint8Array[] = [];
  const quarantine: QuarantineSink = {
    async send(messages) {
      quarantined += messages.length;
    },
  };
  const ledger = { load: async () => ({ ranges: [] }), save: async () => undefined };
  const handler = middy<KinesisStreamEvent, unknown, Error, Context>()
    .use(kinesisBatch<AdEvent>({ consumer: 'enrichment', schema: adEventSchema, quarantine }))
    .handler(async (_e, ctx) => {
      const batch = (ctx as KinesisBatchContext<AdEvent>).batch;
      await enrichBatch(batch, {
        lookupCampaigns: (ids, signal) => cache.resolve(ids, signal),
        publish: async (entries, _signal, onWritten) => {
          for (const e of entries) out.push(e.data);
          onWritten(entries.map((e) => e.ref));
          return [];
        },
        // The ledger's bookkeeping is CPU the function spends; its DynamoDB calls are not measured here.
        ledger,
        repeats:
          options.repeatWindowMs === undefined
            ? undefined
            : new RepeatFilter({
                windowMs: options.repeatWindowMs,
                store: {
                  save: async (_shard, segment) => void encodeSegment(segment),
                  load: async () => [],
                },
                ledger,
                parentsOf: async () => [],
              }),
      });
      return undefined;
    });
  return async () => {
    out = [];
    quarantined = 0;
    await handler(event, benchContext());
    return { ok: out.length, quarantined, out };
  };
}

/** The Powertools baseline doing the same per-record work; its failures stand for quarantined records. */
export function baselineVariant(event: KinesisStreamEvent): Variant {
  // The same campaign data as the warm cache holds, looked up the same way: one Map hit per record.
  const campaigns = new Map<string, CampaignInfo>();
  const { out, handle } = baselineHandler((id) => {
    let campaign = campaigns.get(id);
    if (!campaign) {
      campaign = campaignInfo(id);
      campaigns.set(id, campaign);
    }
    return campaign;
  });
  return async () => {
    const response = await handle(event, benchContext());
    return { ok: out.length, quarantined: response.batchItemFailures.length, out: [...out] };
  };
}

/** The least any enrichment must do: base64 decode, JSON.parse, JSON.stringify. */
export function floorVariant(event: KinesisStreamEvent): Variant {
  return async () => {
    const out: string[] = [];
    let bad = 0;
    for (const r of event.Records) {
      try {
        out.push(JSON.stringify(JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8'))));
      } catch {
        bad++;
      }
    }
    return { ok: out.length, quarantined: bad, out: [] };
  };
}
