/**
 * Issue 14's bare-SDK baseline with the session table on: bench/bare-core.ts plus the DynamoDB
 * client, writing the session item once Slack has answered (contract section 12), while the
 * email goes out beside them. A separate entry so that the table-less baseline
 * (bench/bare-handler.ts) does not import the DynamoDB client it never uses.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createBareHandler } from './bare-core.ts';
import { sessionAttributes } from './bare-session-item.ts';

const table = process.env.SESSION_TABLE_NAME;
// A run meant to write that silently did not would look fast.
if (!table) throw new Error('bench/bare-table-handler: SESSION_TABLE_NAME is not set');
const dynamodb = new DynamoDBClient({});

export const handler = createBareHandler(process.env, async (event, post, connectedAt) => {
  await dynamodb.send(new PutItemCommand({ TableName: table, Item: sessionAttributes(event, post, connectedAt, process.env.AWS_REGION ?? '') }));
});
