// Child process of the benchmark: runs the enrichment path on a Lambda event as large as Lambda sends (6 MB)
// and prints its peak resident memory, so the 256 MB sizing claim is measured rather than assumed.
import type { QuarantineSink, KinesisBatchContext } from '@shardline/middleware';
import { kinesisBatch } from '@shardline/middleware';
import { makeKinesisEvent } from '@shardline/records';
import { adEventSchema, generateEvents, type AdEvent } from '@shardline/schema';
import middy from '@middy/core';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures the app's own pure logic
import { enrichBatch } from '../../apps/enrichment/src/index';

const LIMIT = 6 * 1000 * 1000;

async function main(): Promise<void> {
  const events = generateEvents({ count: 20_000, seed: 6 }).map((g) => g.event as Record<string, unknown>);
  let event = makeKinesisEvent(events);
  // Trim to the largest event under Lambda's 6 MB invocation payload.
  while (Buffer.byteLength(JSON.stringify(event)) > LIMIT) {
    event = { Records: event.Records.slice(0, Math.floor(event.Records.length * 0.95)) };
  }
  const payloadBytes = Buffer.byteLength(JSON.stringify(event));
  const quarantine: QuarantineSink = { send: async () => undefined };
  let published = 0;
  const handler = middy<KinesisStreamEvent, unknown, Error, Context>()
    .use(kinesisBatch<AdEvent>({ consumer: 'enrichment', schema: adEventSchema, quarantine }))
    .handler(async (_e, ctx) => {
      await enrichBatch((ctx as KinesisBatchContext<AdEvent>).batch, {
        lookupCampaigns: async (ids) => ({
          campaigns: new Map([...ids].map((id) => [id, { known: false }])),
          failed: new Set<string>(),
        }),
        publish: async (entries) => {
          published += entries.length;
          return [];
        },
      });
      return undefined;
    });
  const context = { getRemainingTimeInMillis: () => 900_000 } as unknown as Context;
  await handler(event, context);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ records: event.Records.length, published, payloadBytes, peakRssMb }));
}

void main();
