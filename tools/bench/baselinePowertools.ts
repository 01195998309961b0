import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { z } from 'zod';

/**
 * The documented Powertools way to consume Kinesis, doing the enrichment work: BatchProcessor +
 * processPartialResponse, a zod schema per record, then the same normalise/enrich/serialise step.
 * It handles plain JSON records only (no gzip, no KPL), as the Powertools examples do.
 */
const adEvent = z
  .object({
    specversion: z.literal('1.0'),
    id: z.string().min(1).max(256),
    source: z.string().min(1).max(1024),
    type: z.enum([
      'com.example.ad.impression',
      'com.example.ad.click',
      'com.example.ad.install',
      'com.example.ad.purchase',
    ]),
    time: z.iso.datetime({ offset: true }),
    subject: z.string().optional(),
    datacontenttype: z.literal('application/json').optional(),
    dataschema: z.string().optional(),
    data: z
      .object({
        userId: z.string().min(1).max(256),
        campaignId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        revenueMicros: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .optional(),
        deviceId: z.string().max(256).optional(),
        sessionId: z.string().max(256).optional(),
        adId: z.string().max(256).optional(),
        placement: z.string().max(128).optional(),
        country: z
          .string()
          .regex(/^[A-Z]{2}$/)
          .optional(),
        platform: z.enum(['ios', 'android', 'web']).optional(),
        appVersion: z.string().max(64).optional(),
        ip: z.union([z.ipv4(), z.ipv6()]).optional(),
        userAgent: z.string().max(1024).optional(),
        attributes: z.record(z.string(), z.unknown()).optional(),
      })
      .strict()
      .refine((d) => !d.revenueMicros || d.currency !== undefined, {
        message: 'currency is required when revenueMicros > 0',
      }),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]));

export type BaselineEvent = z.infer<typeof adEvent>;

/** Builds the baseline handler; `enrich` is the same per-record work the Shardline consumer does. */
export function baselineHandler(enrich: (event: BaselineEvent, record: KinesisStreamRecord) => Uint8Array) {
  const processor = new BatchProcessor(EventType.KinesisDataStreams);
  const out: Uint8Array[] = [];
  const recordHandler = async (record: KinesisStreamRecord): Promise<void> => {
    const payload = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')) as unknown;
    const event = adEvent.parse(payload);
    out.push(enrich(event, record));
  };
  return {
    out,
    handle: (event: KinesisStreamEvent, context: Context) =>
      processPartialResponse(event, recordHandler, processor, { context }),
  };
}
