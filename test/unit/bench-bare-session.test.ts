import { readFileSync } from 'node:fs';
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionAttributes } from '../../bench/bare-session-item.ts';
import { parseConnection } from '../../src/base/connection.ts';
import { buildContext } from '../../src/render/context.ts';
import { dynamoSessionStore, sessionItemFor } from '../../src/sources/sessions.ts';

const dynamodb = mockClient(DynamoDBClient);
const event = JSON.parse(readFileSync(new URL('../fixtures/event-v2.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const connectedAt = new Date('2026-11-29T08:15:30.123Z');
const post = { channel: 'C0BENCH', ts: '1764404130.000100' };

/** The Item our connect handler's session store sends for the fixture event. */
async function oursItem(): Promise<Record<string, AttributeValue>> {
  const connection = parseConnection(event);
  const context = buildContext(connection, connectedAt, 'UTC', 'eu-west-1');
  const item = sessionItemFor({ connectionId: connection.connectionId, endpointId: connection.endpointId, context, posts: [post], connectedAt });
  if (!item) throw new Error('no session item for the fixture');
  await dynamoSessionStore(new DynamoDBClient({ region: 'eu-west-1' }), 'sessions').put(item, AbortSignal.timeout(1000));
  const sent = dynamodb.commandCalls(PutItemCommand)[0]?.args[0].input.Item;
  if (!sent) throw new Error('the store sent no PutItem');
  return sent;
}

describe("the bare baseline's session item (bench/bare-session-item.ts)", () => {
  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(PutItemCommand).resolves({});
  });

  it('has the attributes ours writes, of the same types, with the same key, post and TTL values', async () => {
    const ours = await oursItem();
    const bare = sessionAttributes(event, post, connectedAt, 'eu-west-1');
    const shape = (item: Record<string, AttributeValue>) => Object.fromEntries(Object.entries(item).map(([name, value]) => [name, Object.keys(value)]));
    expect(shape(bare)).toEqual(shape(ours));
    const { context: oursContext, ...oursRest } = ours;
    const { context: bareContext, ...bareRest } = bare;
    expect(bareRest).toEqual(oursRest);
    expect(bare.expiresAt).toEqual({ N: String(Math.floor(connectedAt.getTime() / 1000) + 7 * 24 * 3600) });
    // The context: the same fields, and about as much text to send.
    const oursFields = JSON.parse(oursContext?.S ?? '') as Record<string, unknown>;
    const bareFields = JSON.parse(bareContext?.S ?? '') as Record<string, unknown>;
    expect(Object.keys(bareFields).sort()).toEqual(Object.keys(oursFields).sort());
    expect(Math.abs((bareContext?.S ?? '').length - (oursContext?.S ?? '').length)).toBeLessThan(40);
  });
});
