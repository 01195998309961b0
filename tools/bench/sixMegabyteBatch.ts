// Child process of the benchmark: runs the enrichment path on a Lambda event as large as Lambda sends (6 MB),
// read from the file named by argv[2] the way the runtime hands it over (one JSON document), and prints the
// process's peak resident memory, so the 256 MB sizing claim is measured rather than assumed. The benchmark runs
// it as a plain Node bundle, without tsx, so the figure is the function's own.
import middy from '@middy/core';
import { kinesisBatch, type KinesisBatchContext, type QuarantineSink } from '@shardline/middleware';
import { adEventSchema, type AdEvent } from '@shardline/schema';
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import { readFileSync } from 'node:fs';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the benchmark measures the app's own pure logic
import { enrichBatch } from '../../apps/enrichment/src/enrich';

async function main(): Promise<void> {
  const baselineRssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const event = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as KinesisStreamEvent;
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
  await handler(event, { getRemainingTimeInMillis: () => 900_000 } as unknown as Context);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ records: event.Records.length, published, baselineRssMb, peakRssMb }));
}

void main();
