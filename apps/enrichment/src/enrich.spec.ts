import type { FailedPut, PutEntry } from '@shardline/aws';
import { KinesisBatch } from '@shardline/middleware';
import { decodeBatch, type DecodedRecord } from '@shardline/records';
import { makeKinesisEvent } from '@shardline/records/testing';
import { enrichedEventSchema, type AdEvent, type EnrichedEvent } from '@shardline/schema';
import { generateEvents } from '@shardline/schema/testing';
import type { CampaignLookup } from './CampaignCache';
import { enrichBatch, enrichEvent, type EnrichDeps } from './enrich';
import type { LedgerState } from './PublishLedger';

const ARRIVAL = Date.parse('2026-11-26T12:00:05.250Z') / 1000;

function adEvent(overrides: Partial<AdEvent> = {}, data: Partial<AdEvent['data']> = {}): AdEvent {
  const base = generateEvents({ count: 1, seed: 42 })[0]!.event as AdEvent;
  return { ...base, ...overrides, data: { ...base.data, ...data } };
}

function batchOf(events: AdEvent[]): KinesisBatch<AdEvent> {
  const { records, rejected } = decodeBatch(
    makeKinesisEvent(events, { approximateArrivalTimestamp: ARRIVAL }),
  );
  return new KinesisBatch<AdEvent>({
    consumer: 'enrichment',
    records: records as DecodedRecord<AdEvent>[],
    rejected,
  });
}

describe('enrichEvent', () => {
  it('normalises time to canonical UTC and derives date and ingest lag from it', () => {
    // Prepare
    const event = adEvent({ time: '2026-11-26T13:59:58.5+02:00' });
    // Act
    const out = enrichEvent(event, ARRIVAL, { known: true, name: 'Winter', advertiser: 'Acme' })!;
    // Assess
    expect(out.time).toBe('2026-11-26T11:59:58.500Z');
    expect(out.enrichment.eventDate).toBe('2026-11-26');
    expect(out.enrichment.ingestLagMs).toBe(6_750);
    expect(out.enrichment.campaign).toEqual({ known: true, name: 'Winter', advertiser: 'Acme' });
  });

  it('never lets the client IP out in clear', () => {
    // Prepare
    const v4 = adEvent({}, { ip: '198.51.100.77' });
    const v6 = adEvent({}, { ip: '2001:db8:1234:5678::9' });
    // Act
    const a = enrichEvent(v4, ARRIVAL, { known: false })!;
    const b = enrichEvent(v6, ARRIVAL, { known: false })!;
    // Assess
    expect(a.data.ip).toBe('198.51.100.0');
    expect(b.data.ip).toBe('2001:db8:1234::');
    expect(a.enrichment.ipTruncated).toBe(true);
    expect(JSON.stringify(a)).not.toContain('198.51.100.77');
  });

  it('defaults revenueMicros to 0 and passes the enriched-stream contract', () => {
    // Prepare
    const event = adEvent(
      { type: 'com.example.ad.click' },
      { revenueMicros: undefined, currency: undefined },
    );
    delete (event.data as { revenueMicros?: number }).revenueMicros;
    // Act
    const out = enrichEvent(event, ARRIVAL, { known: false })!;
    // Assess
    expect(out.data.revenueMicros).toBe(0);
    expect(enrichedEventSchema.validate(JSON.parse(JSON.stringify(out)))).toEqual({
      ok: true,
      value: expect.anything(),
    });
  });

  it('derives the device from the user agent', () => {
    // Prepare
    const ua =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36';
    // Act
    const out = enrichEvent(adEvent({}, { userAgent: ua }), ARRIVAL, { known: false })!;
    // Assess
    expect(out.enrichment.device).toEqual({
      os: 'Android',
      osVersion: '14',
      deviceType: 'mobile',
      browser: 'Chrome',
    });
  });

  it('refuses a time that no UTC instant can represent', () => {
    expect(enrichEvent(adEvent({ time: '2026-12-31T23:59:60Z' }), ARRIVAL, { known: false })).toBeUndefined();
  });
});

describe('enrichBatch', () => {
  function deps(options: { failedCampaigns?: string[]; failPut?: (i: number) => boolean } = {}) {
    const published: PutEntry<DecodedRecord<AdEvent>>[] = [];
    const lookups: Set<string>[] = [];
    const d: EnrichDeps = {
      async lookupCampaigns(ids): Promise<CampaignLookup> {
        lookups.push(ids);
        const failed = new Set(options.failedCampaigns ?? []);
        const campaigns = new Map(
          [...ids].filter((id) => !failed.has(id)).map((id) => [id, { known: true, name: `n-${id}` }]),
        );
        return { campaigns, failed };
      },
      async publish(entries, _signal, onWritten) {
        const failed: FailedPut<DecodedRecord<AdEvent>>[] = [];
        entries.forEach((e, i) => {
          if (options.failPut?.(i))
            failed.push({ ref: e.ref, errorCode: 'ProvisionedThroughputExceededException' });
          else published.push(e);
        });
        onWritten(published.map((e) => e.ref));
        return failed;
      },
    };
    return { d, published, lookups };
  }

  it('looks up each distinct campaign once and publishes every record with its own partition key', async () => {
    // Prepare
    const events = generateEvents({ count: 50, seed: 3, campaigns: 4 }).map((g) => g.event as AdEvent);
    const batch = batchOf(events);
    const { d, published, lookups } = deps();
    // Act
    await enrichBatch(batch, d);
    // Assess
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.size).toBe(new Set(events.map((e) => e.data.campaignId)).size);
    expect(published.map((e) => e.partitionKey)).toEqual(batch.records.map((r) => r.partitionKey));
    const out = published.map((e) => JSON.parse(Buffer.from(e.data).toString()) as EnrichedEvent);
    expect(out.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(out.every((e) => e.enrichment.campaign.known)).toBe(true);
    expect(batch.itemFailures()).toEqual([]);
  });

  it('reports records as failed when their campaign lookup or their put failed, and only those', async () => {
    // Prepare
    const events = [
      adEvent({ id: 'a' }, { campaignId: 'ok-1' }),
      adEvent({ id: 'b' }, { campaignId: 'down' }),
      adEvent({ id: 'c' }, { campaignId: 'ok-2' }),
    ];
    const batch = batchOf(events);
    const { d, published } = deps({ failedCampaigns: ['down'], failPut: (i) => i === 1 });
    // Act
    await enrichBatch(batch, d);
    // Assess
    expect(published.map((e) => e.ref.payload.id)).toEqual(['a']);
    expect(batch.itemFailures()).toEqual([
      batch.records[1]!.sequenceNumber,
      batch.records[2]!.sequenceNumber,
    ]);
  });

  it('produces identical output for a redelivered record, so the sinks stay idempotent', async () => {
    // Prepare
    const events = generateEvents({ count: 5, seed: 9 }).map((g) => g.event as AdEvent);
    const first = deps();
    const second = deps();
    // Act
    await enrichBatch(batchOf(structuredClone(events)), first.d);
    await enrichBatch(batchOf(structuredClone(events)), second.d);
    // Assess
    expect(second.published.map((e) => Buffer.from(e.data).toString())).toEqual(
      first.published.map((e) => Buffer.from(e.data).toString()),
    );
  });

  it('skips records the ledger says were published, and goes on at least once when the ledger is down', async () => {
    // Prepare
    const events = generateEvents({ count: 4, seed: 12 }).map((g) => g.event as AdEvent);
    const saved: string[][][] = [];
    const errors: unknown[] = [];
    const first = deps();
    const ledger = {
      state: { ranges: [] } as LedgerState,
      async load() {
        return this.state;
      },
      async save(_shard: string, state: LedgerState) {
        this.state = state;
        saved.push(state.ranges.map((r) => [...r]));
      },
    };
    // Act: first delivery publishes all; the redelivery publishes nothing; a broken ledger publishes again.
    await enrichBatch(batchOf(structuredClone(events)), { ...first.d, ledger });
    const again = deps();
    await enrichBatch(batchOf(structuredClone(events)), { ...again.d, ledger });
    const broken = deps();
    await enrichBatch(batchOf(structuredClone(events)), {
      ...broken.d,
      ledger: {
        load: () => Promise.reject(new Error('throttled')),
        save: () => Promise.reject(new Error('throttled')),
      },
      onLedgerError: (error) => errors.push(error),
    });
    // Assess
    expect(first.published).toHaveLength(4);
    expect(again.published).toHaveLength(0);
    // The first delivery notes its intent, then the outcome; the redelivery only confirms.
    expect(saved.map((ranges) => ranges.length)).toEqual([0, 1, 1]);
    expect(broken.published).toHaveLength(4);
    expect(errors).toHaveLength(3); // the load, the intent and the outcome
  });
});
