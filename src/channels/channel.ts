/**
 * One interface for every notification channel, in the manner of Apprise's plugin per
 * service: each channel declares its limits, delivers one already-rendered payload, and
 * answers with a typed result. A channel never throws and never outlives `signal`.
 */
export type ChannelName = 'slack' | 'email';

export type ChannelResult =
  | { readonly status: 'sent'; readonly id?: string }
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'failed';
      readonly retryable: boolean;
      readonly reason: string;
      /** Seconds the service asked us to wait (Slack 429 Retry-After). */
      readonly retryAfterSeconds?: number;
    }
  | { readonly status: 'timedOut'; readonly reason: string };

export interface DeliveryContext {
  /** Aborts at the invocation's deadline; every outside call must honour it. */
  readonly signal: AbortSignal;
  /** Epoch ms by which reads of secrets must be done, so delivery still has time. */
  readonly readBy: number;
}

export interface ChannelLimits {
  /** Longest message text, and the unit it is counted in. */
  readonly maxText: { readonly amount: number; readonly unit: 'characters' | 'bytes' };
}

export interface Channel<Payload> {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Why the channel is off (configuration absent), or undefined when it is on. */
  readonly disabledReason: string | undefined;
  /** Starts reads the channel will need (e.g. its token) so they overlap template reads. */
  warmUp?(context: DeliveryContext): void;
  deliver(payload: Payload, context: DeliveryContext): Promise<ChannelResult>;
}

/** Rendered payloads as the channels send them, and as the retry queue stores them. */
export interface SlackPayload {
  readonly channel: string;
  readonly text: string;
}

export interface EmailPayload {
  readonly topicArn: string;
  readonly subject: string;
  readonly message: string;
  readonly endpointId: string;
}

export const isRetryable = (result: ChannelResult): boolean =>
  result.status === 'timedOut' || (result.status === 'failed' && result.retryable);
