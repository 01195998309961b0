import { buildUpdateItem, highWaterMarkAttribute } from './buildUpdateItem';
import { totalsAbove } from './combineBatch';
import { sampleAggregate } from './test-helpers/sampleAggregate';

const aggregate = sampleAggregate([
  ['2026-11-26T13:05:20Z', 10],
  ['2026-11-26T13:05:10Z', 5],
]);
const totals = totalsAbove(aggregate);
if (!totals) throw new Error('fixture');

describe('buildUpdateItem', () => {
  it('adds the totals to the item of the campaign, event type and minute, with its TTL', () => {
    // Act
    const input = buildUpdateItem('aggregates', aggregate, totals);
    // Assess
    expect(input.Key).toEqual({
      pk: { S: 'cmp-1#com.example.ad.purchase' },
      windowStart: { S: '2026-11-26T13:05:00Z' },
    });
    expect(input.UpdateExpression).toContain('ADD #count :count, #rev :rev');
    expect(input.ExpressionAttributeValues?.[':count']).toEqual({ N: '2' });
    expect(input.ExpressionAttributeValues?.[':rev']).toEqual({ N: '15' });
    expect(input.ExpressionAttributeValues?.[':exp']).toEqual({
      N: String(Date.parse('2026-11-26T13:06:00Z') / 1000 + 86_400),
    });
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('applies only above the shard high-water mark and moves the mark to the last record', () => {
    // Act
    const input = buildUpdateItem('aggregates', aggregate, totals);
    // Assess
    expect(input.ExpressionAttributeNames?.['#hwm']).toBe(highWaterMarkAttribute('shardId-000000000000'));
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#hwm) OR #hwm < :from)');
    expect(input.UpdateExpression).toContain('#hwm = :to');
    expect(input.ExpressionAttributeValues?.[':from']).toEqual({ S: totals.firstPosition });
    expect(input.ExpressionAttributeValues?.[':to']).toEqual({ S: totals.lastPosition });
  });

  it('guesses that time moves forward when it knows nothing of the item', () => {
    // Act
    const input = buildUpdateItem('aggregates', aggregate, totals);
    // Assess
    expect(input.UpdateExpression).toContain('#first = if_not_exists(#first, :first)');
    expect(input.UpdateExpression).toContain('#last = :last');
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#first) OR #first <= :first)');
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#last) OR #last <= :last)');
    expect(input.ExpressionAttributeValues?.[':first']).toEqual({ S: '2026-11-26T13:05:10.000Z' });
    expect(input.ExpressionAttributeValues?.[':last']).toEqual({ S: '2026-11-26T13:05:20.000Z' });
  });

  it('replaces firstSeen and keeps lastSeen when the stored bounds are wider on those sides', () => {
    // Act
    const input = buildUpdateItem('aggregates', aggregate, totals, {
      firstSeen: '2026-11-26T13:05:15.000Z',
      lastSeen: '2026-11-26T13:05:59.000Z',
    });
    // Assess
    expect(input.UpdateExpression).toContain('#first = :first');
    expect(input.UpdateExpression).toContain('#last = if_not_exists(#last, :last)');
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#first) OR #first >= :first)');
    expect(input.ConditionExpression).toContain('(attribute_not_exists(#last) OR #last >= :last)');
  });
});
