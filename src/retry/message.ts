import type { ChannelName, EmailPayload, SlackPayload } from '../channels/channel.ts';

/**
 * One undelivered notification on the retry queue: the channel's already rendered payload,
 * so a retry does not depend on templates. Never the Slack token.
 */
export type RetryMessage =
  | (RetryMeta & { readonly channel: 'slack'; readonly payload: SlackPayload })
  | (RetryMeta & { readonly channel: 'email'; readonly payload: EmailPayload });

interface RetryMeta {
  readonly version: 1;
  readonly connectionId: string;
  /** ISO time of the first failed delivery. */
  readonly firstFailureAt: string;
  /** Deliveries tried so far (1 after the connect handler's own try). */
  readonly attempts: number;
  /** Why the last delivery failed. */
  readonly reason: string;
}

export class MalformedRetryMessage extends Error {
  override readonly name = 'MalformedRetryMessage';
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Parses a queue message body, refusing anything that is not a message this code wrote. */
export function decodeRetryMessage(body: string): RetryMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new MalformedRetryMessage('body is not JSON');
  }
  const m = value as Record<string, unknown> | null;
  if (!m || typeof m !== 'object' || m.version !== 1) throw new MalformedRetryMessage('not a version 1 retry message');
  if (!isString(m.connectionId) || !isString(m.firstFailureAt) || !isString(m.reason) || typeof m.attempts !== 'number') {
    throw new MalformedRetryMessage('missing connectionId, firstFailureAt, attempts or reason');
  }
  const p = m.payload as Record<string, unknown> | null;
  if (!p || typeof p !== 'object') throw new MalformedRetryMessage('missing payload');
  const optional = (key: string, check: (value: unknown) => boolean): boolean => p[key] === undefined || check(p[key]);
  if (m.channel === 'slack' && isString(p.channel) && isString(p.text) && optional('threadTs', isString) && optional('updateTs', isString) && optional('blocks', Array.isArray)) {
    return m as unknown as RetryMessage;
  }
  if (m.channel === 'email' && isString(p.topicArn) && isString(p.subject) && isString(p.message) && isString(p.endpointId) && optional('eventType', isString) && optional('route', isString)) {
    return m as unknown as RetryMessage;
  }
  throw new MalformedRetryMessage(`unknown channel or payload shape for channel ${JSON.stringify(m.channel)}`);
}

export function retryMessage(channel: ChannelName, payload: SlackPayload | EmailPayload, meta: Omit<RetryMeta, 'version'>): RetryMessage {
  return { version: 1, channel, payload, ...meta } as RetryMessage;
}
