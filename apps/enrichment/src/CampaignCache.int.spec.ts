import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createClient } from '@shardline/aws';
import { useLocalStack, type LocalStack } from '@shardline/local-stack';
import { randomUUID } from 'node:crypto';
import { CampaignCache } from './CampaignCache';

jest.setTimeout(60_000);

describe('CampaignCache on DynamoDB Local', () => {
  let stack: LocalStack;
  let dynamodb: DynamoDBClient;
  const table = `campaigns-${randomUUID().slice(0, 8)}`;
  const saved = { ...process.env };

  beforeAll(async () => {
    stack = await useLocalStack(['dynamodb']);
    Object.assign(process.env, stack.env());
    dynamodb = createClient(DynamoDBClient);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'campaignId', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'campaignId', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 150; i++) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: { campaignId: { S: `cmp-${i}` }, name: { S: `Campaign ${i}` }, advertiser: { S: 'Acme' } },
        }),
      );
    }
  });

  afterAll(async () => {
    process.env = { ...saved };
    await stack?.stop();
  });

  it('resolves more than 100 distinct campaigns across BatchGetItem calls, unknown ones as data', async () => {
    // Prepare
    const cache = new CampaignCache(dynamodb, table, 60_000);
    const ids = [...Array.from({ length: 150 }, (_, i) => `cmp-${i}`), 'cmp-unknown'];
    // Act
    const { campaigns, failed } = await cache.resolve(ids);
    // Assess
    expect(failed.size).toBe(0);
    expect(campaigns.size).toBe(151);
    expect(campaigns.get('cmp-149')).toEqual({ known: true, name: 'Campaign 149', advertiser: 'Acme' });
    expect(campaigns.get('cmp-unknown')).toEqual({ known: false });
  });

  it('serves fresh entries from memory and refetches after the TTL', async () => {
    // Prepare
    let now = 1_000_000;
    const cache = new CampaignCache(dynamodb, table, 1_000, { now: () => now });
    await cache.resolve(['cmp-1']);
    await dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { campaignId: { S: 'cmp-1' }, name: { S: 'Renamed' } } }),
    );
    // Act
    const cached = (await cache.resolve(['cmp-1'])).campaigns.get('cmp-1');
    now += 1_001;
    const refreshed = (await cache.resolve(['cmp-1'])).campaigns.get('cmp-1');
    // Assess
    expect(cached?.name).toBe('Campaign 1');
    expect(refreshed).toEqual({ known: true, name: 'Renamed' });
  });

  it('reports campaigns it could not look up instead of guessing', async () => {
    // Prepare: a table that does not exist fails every call.
    const cache = new CampaignCache(dynamodb, `missing-${randomUUID().slice(0, 8)}`, 60_000, {
      maxAttempts: 2,
      baseDelayMs: 1,
    });
    // Act
    const { campaigns, failed } = await cache.resolve(['cmp-1', 'cmp-2']);
    // Assess
    expect(campaigns.size).toBe(0);
    expect([...failed].sort()).toEqual(['cmp-1', 'cmp-2']);
  });
});
