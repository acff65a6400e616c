import { DISCONNECT_ACTION_ID } from '../base/contract.ts';
import { SLACK_BLOCK_LIMITS } from '../base/contract.ts';
import { defuseMrkdwn, escapeSlack, singleLine, truncateCodePoints } from '../base/text.ts';
import { formatLocalTime } from '../base/time.ts';
import type { DisconnectTarget, RefusalReason } from './authorize.ts';
import type { ActiveConnection } from './ec2.ts';

/**
 * Everything the function says in Slack, as pure functions of what happened. Usernames and
 * common names come from client certificates and software: they are attacker-controlled text,
 * so they are made one line, cut, and escaped for mrkdwn; blocks are built as objects and
 * serialised, so no value can add a block or end a string.
 */
export interface EphemeralMessage {
  readonly response_type: 'ephemeral';
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[];
}

/** What EC2 said to one call, as the messages and the audit line report it. */
export type Ec2Result<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'timedOut'; readonly reason: string };

export interface EndpointListing {
  readonly endpointId: string;
  readonly result: Ec2Result<readonly ActiveConnection[]>;
}

const MAX_BLOCKS = SLACK_BLOCK_LIMITS.blocks;
const MAX_NAME_CHARS = 80;
const MAX_REASON_CHARS = 300;

const field = (value: string, max = MAX_NAME_CHARS): string => defuseMrkdwn(escapeSlack(truncateCodePoints(singleLine(value), max)));
const plain = (value: string, max: number): string => truncateCodePoints(singleLine(value), max);

/** A slash command's name as typed (`/vpn`, or whatever the app calls it); `/vpn` when odd. */
export function commandName(command: string): string {
  return /^\/[a-z0-9_-]{1,32}$/i.test(command) ? command : '/vpn';
}

export function usageMessage(command: string): EphemeralMessage {
  const name = commandName(command);
  return {
    response_type: 'ephemeral',
    text: [
      `*Usage*`,
      `\`${name} who\`: who is connected to the VPN right now (admins also get a Disconnect button)`,
      `\`${name} help\`: this text`,
    ].join('\n'),
  };
}

/** Newest first; sessions whose start EC2 did not give go last. */
export function newestFirst(connections: readonly ActiveConnection[]): ActiveConnection[] {
  return [...connections].sort((a, b) => (b.establishedAt?.getTime() ?? -Infinity) - (a.establishedAt?.getTime() ?? -Infinity));
}

function who(connection: ActiveConnection): string {
  return connection.username || connection.commonName || '(no name)';
}

function connectionLine(connection: ActiveConnection, timeZone: string): string {
  const parts = [`*${field(who(connection))}*`];
  if (connection.username && connection.commonName && connection.commonName !== connection.username) parts.push(field(connection.commonName));
  parts.push(connection.clientIp ? field(connection.clientIp) : 'no client IP');
  parts.push(connection.establishedAt ? `since ${formatLocalTime(connection.establishedAt, timeZone)}` : 'since an unknown time');
  return `${parts.join(' · ')}\n\`${field(connection.connectionId)}\``;
}

export function disconnectButton(connection: DisconnectTarget & { readonly username?: string; readonly commonName?: string; readonly clientIp?: string }) {
  const name = connection.username || connection.commonName || connection.connectionId;
  return {
    type: 'button',
    action_id: DISCONNECT_ACTION_ID,
    text: { type: 'plain_text', text: 'Disconnect' },
    style: 'danger',
    value: JSON.stringify({ endpointId: connection.endpointId, connectionId: connection.connectionId }),
    confirm: {
      title: { type: 'plain_text', text: 'Disconnect this session?' },
      text: { type: 'plain_text', text: plain(`${name}${connection.clientIp ? ` (${connection.clientIp})` : ''} will be disconnected from ${connection.endpointId}.`, 300) },
      confirm: { type: 'plain_text', text: 'Disconnect' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

function listingHeading(listing: EndpointListing): string {
  const endpoint = `\`${listing.endpointId}\``;
  switch (listing.result.status) {
    case 'ok': {
      const count = listing.result.value.length;
      return count === 0 ? `${endpoint}: nobody is connected` : `${endpoint}: ${count} active ${count === 1 ? 'connection' : 'connections'}, newest first`;
    }
    case 'timedOut':
      return `:hourglass: ${endpoint}: EC2 did not answer in time; try again in a moment`;
    default:
      return `:warning: ${endpoint}: could not list connections (${field(listing.result.reason, MAX_REASON_CHARS)})`;
  }
}

/** The `/vpn who` answer: each endpoint's active sessions, newest first; buttons for admins only. */
export function whoMessage(listings: readonly EndpointListing[], options: { readonly admin: boolean; readonly timeZone: string }): EphemeralMessage {
  if (listings.length === 0) {
    return { response_type: 'ephemeral', text: 'This app lists no endpoint: CLIENT_VPN_ENDPOINT_IDS is empty.' };
  }
  const blocks: Record<string, unknown>[] = [];
  let hidden = 0;
  let total = 0;
  // One block is kept back for the "not shown" note.
  const room = () => blocks.length < MAX_BLOCKS - 1;
  for (const listing of listings) {
    const connections = listing.result.status === 'ok' ? newestFirst(listing.result.value) : [];
    total += connections.length;
    if (!room()) {
      hidden += connections.length;
      continue;
    }
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: listingHeading(listing) } });
    for (const connection of connections) {
      if (!room()) {
        hidden += 1;
        continue;
      }
      const row: Record<string, unknown> = { type: 'section', text: { type: 'mrkdwn', text: connectionLine(connection, options.timeZone) } };
      if (options.admin) row.accessory = disconnectButton(connection);
      blocks.push(row);
    }
  }
  if (hidden > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${hidden} more not shown` }] });
  const failed = listings.filter((listing) => listing.result.status !== 'ok').length;
  const text = `${total} active VPN ${total === 1 ? 'connection' : 'connections'}${failed > 0 ? ` (${failed} of ${listings.length} endpoints could not be listed)` : ''}`;
  return { response_type: 'ephemeral', text, blocks };
}

const REFUSALS: Readonly<Record<RefusalReason, (target: Partial<DisconnectTarget> | undefined) => string>> = {
  'not-admin': () => 'You are not allowed to disconnect VPN sessions (only the users in SLACK_ADMIN_USERS are). Nothing was disconnected.',
  'malformed-value': () => 'This button does not name a VPN session (its value is not {"endpointId","connectionId"}). Nothing was disconnected.',
  'endpoint-not-configured': (target) =>
    `This app may not act on endpoint \`${field(target?.endpointId ?? '')}\` (it is not in CLIENT_VPN_ENDPOINT_IDS). Nothing was disconnected.`,
};

export function refusalMessage(reason: RefusalReason, target: Partial<DisconnectTarget> | undefined): EphemeralMessage {
  return { response_type: 'ephemeral', text: REFUSALS[reason](target) };
}

/** The thread reply (or, for a button on an ephemeral list, the ephemeral answer) after a decision to disconnect. */
export function disconnectResultText(userId: string, target: DisconnectTarget, result: Ec2Result<{ readonly currentStatus: string }>, waitedMs: number): string {
  const who = `<@${userId}>`;
  const session = `\`${target.connectionId}\` on \`${target.endpointId}\``;
  switch (result.status) {
    case 'ok':
      return `${who} disconnected this session (${session}${result.value.currentStatus ? `: ${field(result.value.currentStatus)}` : ''}).`;
    case 'timedOut':
      return `${who} asked to disconnect this session (${session}): still in progress, EC2 had not confirmed after ${(waitedMs / 1000).toFixed(1)} s. \`/vpn who\` shows whether it is gone.`;
    default:
      return `${who} tried to disconnect this session (${session}), but it failed: ${field(result.reason, MAX_REASON_CHARS)}`;
  }
}
