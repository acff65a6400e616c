/**
 * The session item the bare baseline writes: contract section 12's attributes, named and typed as
 * src/sources/sessions.ts writes them (test/unit/bench-bare-session.test.ts holds the two
 * together), with a context of the same fields as ours' template context so the item is as large.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SESSION_TTL_SECONDS } from '../src/sources/sessions.ts';
import type { BareEvent, SlackPost } from './bare-core.ts';

const s = (value: unknown): AttributeValue => ({ S: typeof value === 'string' ? value : '' });

export function sessionAttributes(event: BareEvent, post: SlackPost, connectedAt: Date, region: string): Record<string, AttributeValue> {
  const time = connectedAt.toISOString();
  const context = {
    connectionId: event['connection-id'],
    endpointId: event['endpoint-id'],
    commonName: event['common-name'],
    username: event.username,
    platform: event.platform,
    platformVersion: event['platform-version'],
    publicIp: event['public-ip'],
    clientOpenvpnVersion: event['client-openvpn-version'],
    schemaVersion: event['schema-version'],
    groups: typeof event.groups === 'string' ? event.groups.split(',') : [],
    time,
    localTime: time,
    region,
    event,
    kind: 'connect',
    status: 'connected',
    mention: '',
    actionsEnabled: false,
  };
  return {
    connectionId: s(event['connection-id']),
    endpointId: s(event['endpoint-id']),
    channel: s(post.channel),
    ts: s(post.ts),
    posts: { L: [{ M: { channel: s(post.channel), ts: s(post.ts) } }] },
    context: s(JSON.stringify(context)),
    connectedAt: s(time),
    expiresAt: { N: String(Math.floor(connectedAt.getTime() / 1000) + SESSION_TTL_SECONDS) },
  };
}
