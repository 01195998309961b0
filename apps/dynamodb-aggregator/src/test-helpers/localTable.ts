import {
  CreateTableCommand,
  DeleteTableCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/** Creates an aggregates table with the key layout promised to the Terraform side. */
export async function createAggregatesTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'windowStart', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'windowStart', KeyType: 'RANGE' },
      ],
    }),
  );
}

/** Deletes a table, ignoring one that is already gone. */
export async function deleteTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await dynamodb.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
}

/** Plain view of one item: attribute name to its string or number value. */
export type PlainItem = Record<string, string | number>;

/** Every item of a table as plain objects, sorted by key, so two tables compare with `toEqual`. */
export async function scanTable(dynamodb: DynamoDBClient, tableName: string): Promise<PlainItem[]> {
  const items: PlainItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push(plain(item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items.sort((a, b) => `${a.pk} ${a.windowStart}`.localeCompare(`${b.pk} ${b.windowStart}`));
}

function plain(item: Record<string, AttributeValue>): PlainItem {
  const out: PlainItem = {};
  for (const [name, value] of Object.entries(item)) {
    if (value.S !== undefined) out[name] = value.S;
    else if (value.N !== undefined)
      out[name] = Number.isSafeInteger(Number(value.N)) ? Number(value.N) : value.N;
    else throw new Error(`unexpected attribute type on ${name}`);
  }
  return out;
}
