import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ATTRIBUTES, HIGH_WATER_MARK_PREFIX } from './constants';
import type { AggregateTotals, ItemState, KeyAggregate } from './types';

/** Name of the attribute holding a shard's high-water mark on an item. */
export function highWaterMarkAttribute(shardId: string): string {
  return `${HIGH_WATER_MARK_PREFIX}${shardId}`;
}

/**
 * The one UpdateItem that adds `totals` to an item, conditioned so that it applies only if none of these records
 * was counted before (the shard's high-water mark is absent or below the first of them) and so that firstSeen and
 * lastSeen end as the minimum and maximum. DynamoDB has no min/max operator, so each bound is written on a guess,
 * checked by the condition: without knowledge of the item, "time moves forward" (keep firstSeen, replace lastSeen);
 * after a conflict, the stored values from the ALL_OLD image (`state`) decide exactly.
 *
 * @example
 * ```ts
 * const input = buildUpdateItem('aggregates', aggregate, totalsAbove(aggregate)!);
 * await dynamodb.send(new UpdateItemCommand(input));
 * ```
 */
export function buildUpdateItem<T>(
  tableName: string,
  aggregate: KeyAggregate<T>,
  totals: AggregateTotals,
  state?: ItemState,
): UpdateItemCommandInput {
  const first = new Date(totals.firstSeenMs).toISOString();
  const last = new Date(totals.lastSeenMs).toISOString();
  const replaceFirst = state?.firstSeen !== undefined && state.firstSeen > first;
  const keepLast = state?.lastSeen !== undefined && state.lastSeen > last;
  const conditions = [
    '(attribute_not_exists(#hwm) OR #hwm < :from)',
    `(attribute_not_exists(#first) OR #first ${replaceFirst ? '>=' : '<='} :first)`,
    `(attribute_not_exists(#last) OR #last ${keepLast ? '>=' : '<='} :last)`,
  ];
  const sets = [
    '#hwm = :to',
    replaceFirst ? '#first = :first' : '#first = if_not_exists(#first, :first)',
    keepLast ? '#last = if_not_exists(#last, :last)' : '#last = :last',
    '#exp = :exp',
    '#cid = :cid',
    '#type = :type',
  ];
  return {
    TableName: tableName,
    Key: {
      [ATTRIBUTES.partitionKey]: { S: aggregate.pk },
      [ATTRIBUTES.sortKey]: { S: aggregate.windowStart },
    },
    UpdateExpression: `SET ${sets.join(', ')} ADD #count :count, #rev :rev`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: {
      '#hwm': highWaterMarkAttribute(aggregate.shardId),
      '#first': ATTRIBUTES.firstSeen,
      '#last': ATTRIBUTES.lastSeen,
      '#exp': ATTRIBUTES.expiresAt,
      '#cid': ATTRIBUTES.campaignId,
      '#type': ATTRIBUTES.eventType,
      '#count': ATTRIBUTES.count,
      '#rev': ATTRIBUTES.revenueMicros,
    },
    ExpressionAttributeValues: {
      ':from': { S: totals.firstPosition },
      ':to': { S: totals.lastPosition },
      ':first': { S: first },
      ':last': { S: last },
      ':exp': { N: String(aggregate.expiresAt) },
      ':cid': { S: aggregate.campaignId },
      ':type': { S: aggregate.eventType },
      ':count': { N: String(totals.count) },
      ':rev': { N: totals.revenueMicros },
    },
    ReturnValues: 'NONE',
    // The old image comes with the conflict at no read cost: it says what to write next.
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
