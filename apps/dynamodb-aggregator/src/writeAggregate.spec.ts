import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  type UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { totalsAbove } from './combineBatch';
import { highWaterMarkAttribute } from './buildUpdateItem';
import { sampleAggregate } from './test-helpers/sampleAggregate';
import { writeAggregate, type WriteAggregateOptions } from './writeAggregate';

const aggregate = sampleAggregate([
  ['2026-11-26T13:05:10Z', 1],
  ['2026-11-26T13:05:20Z', 2],
  ['2026-11-26T13:05:30Z', 4],
]);
const positions = aggregate.contributions.map((c) => c.position);
const MARK = highWaterMarkAttribute('shardId-000000000000');
const $metadata = { httpStatusCode: 400 };

function throttled(): Error {
  return new ProvisionedThroughputExceededException({ message: 'slow down', $metadata });
}

function conflict(item?: Record<string, { S: string }>): Error {
  const error = new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata });
  if (item) Object.assign(error, { Item: item });
  return error;
}

/** A client whose n-th send answers with the n-th outcome (an error is thrown). */
function scripted(outcomes: Array<Error | undefined>) {
  const sent: UpdateItemCommand[] = [];
  const send = jest.fn(async (command: UpdateItemCommand) => {
    sent.push(command);
    const outcome = outcomes[sent.length - 1];
    if (outcome) throw outcome;
    return {};
  });
  return { dynamodb: { send } as unknown as WriteAggregateOptions['dynamodb'], sent };
}

function options(
  dynamodb: WriteAggregateOptions['dynamodb'],
  extra: Partial<WriteAggregateOptions> = {},
): WriteAggregateOptions {
  return {
    dynamodb,
    tableName: 'aggregates',
    timeLeftMs: () => 60_000,
    sleep: async () => undefined,
    random: () => 0.5,
    ...extra,
  };
}

describe('writeAggregate', () => {
  it('writes an item with one UpdateItem', async () => {
    // Prepare
    const { dynamodb, sent } = scripted([]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toEqual({ status: 'written', calls: 1, conflicts: 0 });
    expect(sent[0]?.input.ExpressionAttributeValues?.[':count']).toEqual({ N: '3' });
  });

  it('retries throttled calls with growing backoff and then writes', async () => {
    // Prepare
    const { dynamodb } = scripted([throttled(), throttled()]);
    const sleeps: number[] = [];
    // Act
    const outcome = await writeAggregate(
      aggregate,
      options(dynamodb, { sleep: async (ms) => void sleeps.push(ms), baseBackoffMs: 100 }),
    );
    // Assess
    expect(outcome).toEqual({ status: 'written', calls: 3, conflicts: 0 });
    expect(sleeps).toEqual([50, 100]);
  });

  it('reports a failure after the last allowed attempt', async () => {
    // Prepare
    const { dynamodb } = scripted([throttled(), throttled(), throttled()]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb, { maxTransientAttempts: 3 }));
    // Assess
    expect(outcome).toEqual({
      status: 'failed',
      calls: 3,
      conflicts: 0,
      cause: 'ProvisionedThroughputExceededException',
    });
  });

  it('stops retrying when the time budget cannot cover the backoff', async () => {
    // Prepare
    const { dynamodb } = scripted([throttled()]);
    // Act
    const outcome = await writeAggregate(
      aggregate,
      options(dynamodb, { timeLeftMs: () => 100, reserveMs: 500 }),
    );
    // Assess
    expect(outcome).toMatchObject({ status: 'failed', calls: 1 });
  });

  it('does not retry an error a later attempt would meet again', async () => {
    // Prepare
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata });
    const { dynamodb } = scripted([denied]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toEqual({ status: 'failed', calls: 1, conflicts: 0, cause: 'AccessDeniedException' });
  });

  it('sends only the records above the stored mark after a conflict', async () => {
    // Prepare
    const { dynamodb, sent } = scripted([conflict({ [MARK]: { S: positions[0] as string } })]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toEqual({ status: 'written', calls: 2, conflicts: 1 });
    expect(sent[1]?.input.ExpressionAttributeValues).toMatchObject({
      ':count': { N: '2' },
      ':rev': { N: '6' },
      ':from': { S: positions[1] },
    });
  });

  it('ends without another write when the stored mark covers every record (a duplicate delivery)', async () => {
    // Prepare
    const { dynamodb } = scripted([conflict({ [MARK]: { S: positions[2] as string } })]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toEqual({ status: 'unchanged', calls: 1, conflicts: 1 });
  });

  it('takes the stored time bounds into account after a conflict on them', async () => {
    // Prepare
    const { dynamodb, sent } = scripted([conflict({ lastSeen: { S: '2026-11-26T13:05:59.000Z' } })]);
    // Act
    await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(sent[1]?.input.UpdateExpression).toContain('#last = if_not_exists(#last, :last)');
  });

  it('reports a conflict without the old image as a failure instead of guessing', async () => {
    // Prepare
    const { dynamodb } = scripted([conflict()]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toMatchObject({ status: 'failed', cause: 'CONDITION_FAILED_WITHOUT_ITEM' });
  });

  it('gives up after too many conflicts in a row', async () => {
    // Prepare
    const { dynamodb } = scripted([conflict({}), conflict({}), conflict({})]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb, { maxConflicts: 2 }));
    // Assess
    expect(outcome).toEqual({ status: 'failed', calls: 3, conflicts: 3, cause: 'CONDITION_CONFLICTS' });
  });

  it('reports a sum beyond 38 digits as an overflow', async () => {
    // Prepare
    const tooLarge = Object.assign(new Error('DynamoDB only supports precision up to 38 digits'), {
      name: 'ValidationException',
    });
    const { dynamodb } = scripted([tooLarge]);
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb));
    // Assess
    expect(outcome).toMatchObject({ status: 'overflow', calls: 1 });
  });

  it('starts no call once the signal is aborted', async () => {
    // Prepare
    const { dynamodb, sent } = scripted([]);
    const controller = new AbortController();
    controller.abort();
    // Act
    const outcome = await writeAggregate(aggregate, options(dynamodb, { signal: controller.signal }));
    // Assess
    expect(outcome).toMatchObject({ status: 'failed', cause: 'ABORTED', calls: 0 });
    expect(sent).toHaveLength(0);
    expect(totalsAbove(aggregate)?.count).toBe(3);
  });
});
