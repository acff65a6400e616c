import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** How long a session item is kept when no disconnect claims it (contract section 12). */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** One Slack post of a connect notification: where the thread and the live status line are. */
export interface SessionPost {
  readonly channel: string;
  readonly ts: string;
}

/** A connection's item in the session table (partition key `connectionId`, TTL `expiresAt`). */
export interface SessionItem {
  readonly connectionId: string;
  readonly endpointId: string;
  /** The first post (also in `posts`). */
  readonly channel: string;
  readonly ts: string;
  readonly posts: readonly SessionPost[];
  /** The connect template context the posts were rendered with. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly connectedAt: string;
  readonly expiresAt: number;
  readonly disconnectedAt?: string;
}

/** Reads a connection's item (a consistent read): the retry worker's check that a thread is the notifier's own. */
export interface SessionLookup {
  find(connectionId: string, signal: AbortSignal): Promise<SessionItem | undefined>;
}

/** Whether `item` holds a post in `channel` (its ID, as Slack answered) with timestamp `ts`. */
export function sessionHasPost(item: SessionItem | undefined, channel: string, ts: string | undefined): boolean {
  return Boolean(item && ts && item.posts.some((post) => post.channel === channel && post.ts === ts));
}

export type ClaimResult =
  | { readonly state: 'claimed'; readonly item: SessionItem }
  | { readonly state: 'already-claimed' }
  | { readonly state: 'missing' };

export interface SessionStore {
  put(item: SessionItem, signal: AbortSignal): Promise<void>;
  /**
   * Claims a connection's item for its disconnect: sets `disconnectedAt` only if it is not set
   * yet, so a disconnect delivered twice is notified once.
   */
  claim(connectionId: string, disconnectedAt: string, signal: AbortSignal): Promise<ClaimResult>;
  /** Gives a claim back (its notification could be neither delivered nor queued). */
  release(connectionId: string, signal: AbortSignal): Promise<void>;
}

const s = (value: string): AttributeValue => ({ S: value });

function toItem(item: SessionItem): Record<string, AttributeValue> {
  return {
    connectionId: s(item.connectionId),
    endpointId: s(item.endpointId),
    channel: s(item.channel),
    ts: s(item.ts),
    posts: { L: item.posts.map((post) => ({ M: { channel: s(post.channel), ts: s(post.ts) } })) },
    // JSON text: the context holds the raw event, whose shape (and empty strings) nobody controls.
    context: s(JSON.stringify(item.context)),
    connectedAt: s(item.connectedAt),
    expiresAt: { N: String(item.expiresAt) },
  };
}

function fromItem(raw: Record<string, AttributeValue> | undefined): SessionItem | undefined {
  if (!raw?.connectionId?.S || !raw.channel?.S || !raw.ts?.S) return undefined;
  let context: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(raw.context?.S ?? '{}');
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) context = parsed as Record<string, unknown>;
  } catch {
    // An unreadable context still leaves the thread to reply in.
  }
  const posts = (raw.posts?.L ?? [])
    .map((entry) => ({ channel: entry.M?.channel?.S ?? '', ts: entry.M?.ts?.S ?? '' }))
    .filter((post) => post.channel && post.ts);
  return {
    connectionId: raw.connectionId.S,
    endpointId: raw.endpointId?.S ?? '',
    channel: raw.channel.S,
    ts: raw.ts.S,
    posts: posts.length > 0 ? posts : [{ channel: raw.channel.S, ts: raw.ts.S }],
    context,
    connectedAt: raw.connectedAt?.S ?? '',
    expiresAt: Number(raw.expiresAt?.N ?? 0),
    ...(raw.disconnectedAt?.S ? { disconnectedAt: raw.disconnectedAt.S } : {}),
  };
}

export function dynamoSessionStore(dynamodb: DynamoDBClient, tableName: string): SessionStore & SessionLookup {
  return {
    async find(connectionId, signal) {
      const found = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: s(connectionId) }, ConsistentRead: true }), { abortSignal: signal });
      return fromItem(found.Item);
    },
    async put(item, signal) {
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: toItem(item) }), { abortSignal: signal });
    },
    async claim(connectionId, disconnectedAt, signal) {
      try {
        const out = await dynamodb.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { connectionId: s(connectionId) },
            UpdateExpression: 'SET disconnectedAt = :at',
            ConditionExpression: 'attribute_exists(connectionId) AND attribute_not_exists(disconnectedAt)',
            ExpressionAttributeValues: { ':at': s(disconnectedAt) },
            ReturnValues: 'ALL_NEW',
            // A refused claim then says in the same answer whether the item exists (claimed) or not.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          { abortSignal: signal },
        );
        const item = fromItem(out.Attributes);
        return item ? { state: 'claimed', item } : { state: 'missing' };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) && (error as { name?: string })?.name !== 'ConditionalCheckFailedException') throw error;
        if ((error as { Item?: unknown }).Item) return { state: 'already-claimed' };
        // Either there is no item, or a disconnect already claimed it (an emulator may not return
        // the old item): a consistent read tells which.
        const found = await dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { connectionId: s(connectionId) }, ConsistentRead: true }), { abortSignal: signal });
        return found.Item ? { state: 'already-claimed' } : { state: 'missing' };
      }
    },
    async release(connectionId, signal) {
      await dynamodb.send(
        new UpdateItemCommand({ TableName: tableName, Key: { connectionId: s(connectionId) }, UpdateExpression: 'REMOVE disconnectedAt', ConditionExpression: 'attribute_exists(connectionId)' }),
        { abortSignal: signal },
      );
    },
  };
}

/** The item a connect notification's Slack posts make, or undefined when none was posted. */
export function sessionItemFor(input: { connectionId: string; endpointId: string; context: object; posts: readonly SessionPost[]; connectedAt: Date }): SessionItem | undefined {
  const [first] = input.posts;
  if (!first || !input.connectionId) return undefined;
  return {
    connectionId: input.connectionId,
    endpointId: input.endpointId,
    channel: first.channel,
    ts: first.ts,
    posts: input.posts,
    context: input.context as Record<string, unknown>,
    connectedAt: input.connectedAt.toISOString(),
    expiresAt: Math.floor(input.connectedAt.getTime() / 1000) + SESSION_TTL_SECONDS,
  };
}
