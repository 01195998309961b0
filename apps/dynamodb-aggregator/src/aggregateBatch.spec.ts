import { ThrottlingException, type UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { KinesisBatch } from '@shardline/middleware';
import type { EnrichedEvent } from '@shardline/schema';
import { aggregateBatch, type AggregatorDeps } from './aggregateBatch';
import { AGGREGATE_OVERFLOW } from './constants';
import { decodedRecords, enrich } from './test-helpers/enrichedEvents';
import { SAMPLE_NOW } from './test-helpers/sampleAggregate';

function click(time: string, campaignId: string): EnrichedEvent {
  return enrich({
    specversion: '1.0',
    id: `${campaignId}-${time}`,
    source: 'game/test',
    type: 'com.example.ad.click',
    time,
    data: { userId: 'u1', campaignId },
  });
}

const records = decodedRecords([
  click('2026-11-26T13:05:01Z', 'cmp-ok'),
  click('2026-11-26T13:05:02Z', 'cmp-throttled'),
  click('2026-11-26T13:05:03Z', 'cmp-ok'),
  click('2026-11-26T13:05:04Z', 'cmp-overflow'),
  click('2026-11-01T13:05:05Z', 'cmp-ok'),
]);

function deps(): AggregatorDeps & { sent: string[] } {
  const sent: string[] = [];
  const send = async (command: UpdateItemCommand) => {
    const pk = command.input.Key?.pk?.S ?? '';
    sent.push(pk);
    if (pk.startsWith('cmp-throttled')) throw new ThrottlingException({ message: 'slow', $metadata: {} });
    if (pk.startsWith('cmp-overflow')) {
      throw Object.assign(new Error('DynamoDB only supports precision up to 38 digits'), {
        name: 'ValidationException',
      });
    }
    return {};
  };
  return {
    dynamodb: { send } as unknown as AggregatorDeps['dynamodb'],
    tableName: 'aggregates',
    ttlDays: 7,
    now: () => SAMPLE_NOW,
    sleep: async () => undefined,
    maxTransientAttempts: 2,
    sent,
  };
}

describe('aggregateBatch', () => {
  it('writes each item once and reports failed, quarantined and skipped records to the batch', async () => {
    // Prepare
    const batch = new KinesisBatch<EnrichedEvent>({ consumer: 'dynamodb-aggregator', records, rejected: [] });
    const d = deps();
    // Act
    const report = await aggregateBatch(batch, d);
    // Assess
    expect(report).toMatchObject({
      items: 3,
      written: 1,
      failed: 1,
      overflowed: 1,
      expiredRecords: 1,
      calls: 4,
    });
    expect(d.sent.filter((pk) => pk.startsWith('cmp-ok'))).toHaveLength(1);
    expect([...batch.failures.keys()]).toEqual([records[1]?.sequenceNumber]);
    expect(batch.quarantined.map((q) => [q.reason, q.sequenceNumber])).toEqual([
      [AGGREGATE_OVERFLOW, records[3]?.sequenceNumber],
    ]);
    expect(batch.itemFailures({ timedOut: true })).toEqual([records[1]?.sequenceNumber]);
  });
});
