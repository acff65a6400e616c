/**
 * One interface for every notification channel, in the manner of Apprise's plugin per
 * service: each channel names the templates it renders, turns a rendered message into its own
 * request (cut to the limits it declares), delivers it, and answers with a typed result.
 * A channel never throws and never outlives `signal`.
 */
import type { AnyTemplatePart, EventKind } from '../base/contract.ts';

export type ChannelName = 'slack' | 'email';

export type ChannelResult =
  | { readonly status: 'sent'; readonly id?: string; readonly detail?: Readonly<Record<string, string>> }
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
  /** Epoch ms by which reads the delivery needs (a token) must be done, so delivery still has time. */
  readonly readBy: number;
}

export interface ChannelLimits {
  /** Longest message text, and the unit it is counted in. */
  readonly maxText: { readonly amount: number; readonly unit: 'characters' | 'bytes' };
}

/** Where one delivery goes: a Slack channel, or an SNS topic; and the route that decided it. */
export interface Destination {
  readonly channel: ChannelName;
  /** Slack channel ID or name; SNS topic ARN. */
  readonly address: string;
  /** Slack mention the route asks for (already validated), or "". */
  readonly mention: string;
  /** Name of the route that decided this destination (`default` when none matched). */
  readonly route: string;
}

/** The rendered templates of one notification for one destination, by template part. */
export type RenderedParts = Readonly<Partial<Record<AnyTemplatePart, string>>>;

/** What a channel needs to know about the notification beyond its rendered text. */
export interface MessageMeta {
  readonly kind: EventKind;
  readonly endpointId: string;
  /** Block Kit blocks rendered for this destination, when there are any. */
  readonly blocks?: readonly unknown[];
  /** Slack: reply in this thread / update this message (contract section 12). */
  readonly threadTs?: string;
  readonly updateTs?: string;
}

export interface Channel<Payload = unknown> {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Why the channel is off (configuration absent), or undefined when it is on. */
  readonly disabledReason: string | undefined;
  /** The template parts this channel's message is made of. */
  readonly parts: readonly AnyTemplatePart[];
  /**
   * Reads what the channel needs before it can deliver (its token), bounded by `waitMs`.
   * Undefined when it is ready; otherwise the result its delivery would end with.
   */
  prepare(waitMs: number, signal: AbortSignal): Promise<ChannelResult | undefined>;
  /** The channel's own request for a rendered message, cut to its limits. */
  toPayload(rendered: RenderedParts, destination: Destination, meta: MessageMeta): Payload;
  /** Why this payload's destination is not one the configuration names, or undefined when it is. */
  refuses(payload: Payload): string | undefined;
  deliver(payload: Payload, context: DeliveryContext): Promise<ChannelResult>;
}

/** Rendered payloads as the channels send them, and as the retry queue stores them. */
export interface SlackPayload {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly unknown[];
  /** Post as a reply in this thread. */
  readonly threadTs?: string;
  /** Update this message (chat.update) instead of posting. */
  readonly updateTs?: string;
}

export interface EmailPayload {
  readonly topicArn: string;
  readonly subject: string;
  readonly message: string;
  readonly endpointId: string;
  /** SNS attribute `event-type`; absent in messages queued before it existed (then `connect`). */
  readonly eventType?: EventKind;
  /** SNS attribute `route`. */
  readonly route?: string;
}

export const isRetryable = (result: ChannelResult): boolean =>
  result.status === 'timedOut' || (result.status === 'failed' && result.retryable);

/** The channels of one function, by name: the pipeline, the retry worker and the CLI pick from it. */
export type ChannelRegistry = Readonly<Record<ChannelName, Channel>>;
