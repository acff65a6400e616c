import { CreateTableCommand, DeleteItemCommand, GetItemCommand, ScanCommand, UpdateTimeToLiveCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from './aws.ts';

/**
 * The session table (contract section 12) on moto_server, as the stack creates it: partition
 * key `connectionId` (String), TTL on `expiresAt`. Items are read back as plain values.
 */
export async function createSessionTable(aws: AwsClients, name: string): Promise<string> {
  await aws.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await aws.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  return name;
}

/** An attribute value as a plain value (S, N as a number, BOOL, NULL, L, M). */
export function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(plain);
  if (value.M !== undefined) return plainItem(value.M);
  throw new Error(`attribute type not handled by the test helper: ${Object.keys(value).join(',')}`);
}

export function plainItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([key, value]) => [key, plain(value)]));
}

/** The item of a connection (consistent read), or undefined. */
export async function getSession(aws: AwsClients, table: string, connectionId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }));
  return Item ? plainItem(Item) : undefined;
}

/** Deletes every item, so each test starts from an empty table. */
export async function clearSessions(aws: AwsClients, table: string): Promise<void> {
  const { Items = [] } = await aws.dynamodb.send(new ScanCommand({ TableName: table, ProjectionExpression: 'connectionId' }));
  for (const item of Items) await aws.dynamodb.send(new DeleteItemCommand({ TableName: table, Key: { connectionId: item.connectionId! } }));
}
