import { stringLike } from '../base/connection.ts';

/**
 * What a verified Slack request asks for, parsed without ever throwing. Slack sends
 * form-encoded bodies: a slash command as fields, an interaction as one `payload` field of JSON.
 */
export interface SlackUser {
  readonly id: string;
  /** The user's handle when Slack gave one ("" otherwise); for the audit line only. */
  readonly name: string;
}

export interface SlashCommand {
  readonly kind: 'command';
  readonly command: string;
  readonly text: string;
  readonly user: SlackUser;
  readonly responseUrl: string;
}

export interface BlockAction {
  readonly actionId: string;
  readonly value: string;
}

export interface BlockActions {
  readonly kind: 'block_actions';
  readonly user: SlackUser;
  readonly actions: readonly BlockAction[];
  readonly responseUrl: string;
  /** Where a thread reply goes; both empty when the message is ephemeral (e.g. a /vpn who list). */
  readonly channelId: string;
  readonly threadTs: string;
}

export type SlackRequest =
  | SlashCommand
  | BlockActions
  /** Slack checks a slash command URL's certificate with `ssl_check=1`: answer 200, nothing else. */
  | { readonly kind: 'ssl_check' }
  | { readonly kind: 'unsupported'; readonly what: string };

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** Own properties only: a key like "__proto__" in the payload must not reach the prototype chain. */
function text(source: Json, key: string): string {
  return Object.prototype.hasOwnProperty.call(source, key) ? stringLike(source[key]) : '';
}

function parseBlockActions(payload: Json): BlockActions {
  const user = object(payload.user);
  const message = object(payload.message);
  const container = object(payload.container);
  const actions = Array.isArray(payload.actions) ? payload.actions.map(object) : [];
  // Ephemeral messages have no `message` and cannot be replied to in a thread.
  const ephemeral = container.is_ephemeral === true || Object.keys(message).length === 0;
  // Replies go in the thread of the top-level message, even if the button sat on a reply.
  const threadTs = text(message, 'thread_ts') || text(message, 'ts') || text(container, 'message_ts');
  return {
    kind: 'block_actions',
    user: { id: text(user, 'id'), name: text(user, 'username') || text(user, 'name') },
    actions: actions.map((action) => ({ actionId: text(action, 'action_id'), value: text(action, 'value') })),
    responseUrl: text(payload, 'response_url'),
    channelId: ephemeral ? '' : text(object(payload.channel), 'id') || text(container, 'channel_id'),
    threadTs: ephemeral ? '' : threadTs,
  };
}

export function parseSlackRequest(rawBody: Buffer): SlackRequest {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const payloadField = form.get('payload');
  if (payloadField !== null) {
    let payload: Json;
    try {
      payload = object(JSON.parse(payloadField));
    } catch {
      return { kind: 'unsupported', what: 'a payload field that is not JSON' };
    }
    const type = text(payload, 'type');
    if (type === 'block_actions') return parseBlockActions(payload);
    return { kind: 'unsupported', what: `interaction type ${JSON.stringify(type.slice(0, 40))}` };
  }
  if (form.get('ssl_check') === '1') return { kind: 'ssl_check' };
  const command = form.get('command');
  if (command !== null) {
    return {
      kind: 'command',
      command,
      text: form.get('text') ?? '',
      user: { id: form.get('user_id') ?? '', name: form.get('user_name') ?? '' },
      responseUrl: form.get('response_url') ?? '',
    };
  }
  return { kind: 'unsupported', what: 'neither a slash command nor an interaction payload' };
}
