import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type FetchFunction, type Logger, type WebClient } from '@slack/web-api';
import type { Channel, ChannelLimits, ChannelResult, DeliveryContext, Destination, MessageMeta, RenderedParts, SlackPayload } from './channel.ts';
import { TokenFormatError } from '../sources/slack-token.ts';
import { isNetworkError } from './network-errors.ts';
import { SlackClients } from './slack-clients.ts';
import { channelKey } from '../routing/document.ts';

import type { CacheRead } from '../sources/cache.ts';
import { truncateCodePoints } from '../base/text.ts';

import { SLACK_TEXT_MAX_CHARS } from '../base/contract.ts';
import { slackOffReason } from './slack-off.ts';
import { httpFetch } from './http-fetch.ts';

export { SLACK_TEXT_MAX_CHARS };

/** Slack errors worth another try; every other platform error is a setup problem. */
const RETRYABLE_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

export interface TokenSource {
  get(waitMs: number, signal: AbortSignal): Promise<CacheRead<string>>;
}

export interface SlackChannelOptions {
  readonly tokenSource: TokenSource | undefined;
  readonly channel: string | undefined;
  /** Undefined when the configured URL was refused: the channel is off. */
  readonly apiUrl: string | undefined;
  /**
   * Channels a queued payload may go to (the retry worker checks): `channel` and these (the
   * routes document's, read when the check is made).
   */
  readonly allowedChannels?: () => readonly string[];
  /** The Web API client's transport; defaults to node:http(s) (src/channels/http-fetch.ts says why). */
  readonly fetch?: FetchFunction;
}

/** For the Web API client, which logs request failures itself: we report them once, in our own line. */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as ReturnType<Logger['getLevel']>,
  setName: () => undefined,
};

/**
 * Classifies what the Web API client threw. `httpStatus` is the status of the last response
 * seen, for the one failure the client reports untyped: a 429 without a usable Retry-After.
 */
export function classifySlackError(error: unknown, signal: AbortSignal, httpStatus?: number): ChannelResult {
  if (error instanceof WebAPIRateLimitedError) {
    return { status: 'failed', retryable: true, reason: `ratelimited (Retry-After ${error.retryAfter} s)`, retryAfterSeconds: error.retryAfter };
  }
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    return { status: 'failed', retryable: RETRYABLE_PLATFORM_ERRORS.has(code), reason: code };
  }
  if (error instanceof WebAPIHTTPError) {
    const retryable = error.statusCode >= 500 || error.statusCode === 408;
    return { status: 'failed', retryable, reason: `HTTP ${error.statusCode} ${error.statusMessage}`.trim() };
  }
  const original = error instanceof WebAPIRequestError ? error.original : error;
  const message = original instanceof Error ? `${original.name}: ${original.message}` : String(original);
  if (signal.aborted) return { status: 'timedOut', reason: message.slice(0, 200) };
  const cause = original instanceof Error ? (original as Error & { cause?: { code?: string } }).cause : undefined;
  const detail = cause?.code ? `${message} (${cause.code})` : message;
  if (httpStatus === 429) return { status: 'failed', retryable: true, reason: `ratelimited: ${detail.slice(0, 200)}` };
  if (httpStatus !== undefined && httpStatus >= 500) return { status: 'failed', retryable: true, reason: detail.slice(0, 200) };
  return { status: 'failed', retryable: isNetworkError(original), reason: detail.slice(0, 200) };
}

export class SlackChannel implements Channel<SlackPayload> {
  readonly name = 'slack' as const;
  readonly limits: ChannelLimits = { maxText: { amount: SLACK_TEXT_MAX_CHARS, unit: 'characters' } };
  readonly parts = ['slack', 'slack-blocks'] as const;
  readonly disabledReason: string | undefined;
  private readonly clients: SlackClients;

  constructor(private readonly options: SlackChannelOptions) {
    this.clients = new SlackClients(
      {
        slackApiUrl: options.apiUrl ?? '',
        logger: quietLogger,
        // The defaults retry for ~30 minutes and sleep through 429s; the retry queue does that job.
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 0,
        allowAbsoluteUrls: false,
      },
      options.fetch ?? httpFetch,
    );
    this.disabledReason = slackOffReason({ tokenSecret: Boolean(options.tokenSource), channel: options.channel, apiUrl: options.apiUrl });
  }

  async prepare(waitMs: number, signal: AbortSignal): Promise<ChannelResult | undefined> {
    if (this.disabledReason) return { status: 'skipped', reason: this.disabledReason };
    const token = await this.token(waitMs, signal);
    return typeof token === 'string' ? undefined : token;
  }

  toPayload(rendered: RenderedParts, destination: Destination, meta: MessageMeta): SlackPayload {
    return {
      channel: destination.address,
      text: truncateCodePoints(rendered.slack ?? '', this.limits.maxText.amount),
      ...(meta.blocks && meta.blocks.length > 0 ? { blocks: meta.blocks } : {}),
      ...(meta.threadTs ? { threadTs: meta.threadTs } : {}),
      ...(meta.updateTs ? { updateTs: meta.updateTs } : {}),
    };
  }

  refuses(payload: SlackPayload): string | undefined {
    const allowed = [...(this.options.channel ? [this.options.channel] : []), ...(this.options.allowedChannels?.() ?? [])].map(channelKey);
    return allowed.includes(channelKey(payload.channel)) ? undefined : `Slack channel ${JSON.stringify(payload.channel)} is not one the configuration or the routes document names`;
  }

  async deliver(payload: SlackPayload, context: DeliveryContext): Promise<ChannelResult> {
    if (this.disabledReason) return { status: 'skipped', reason: this.disabledReason };
    let httpStatus: number | undefined;
    try {
      const token = await this.token(context.readBy - Date.now(), context.signal);
      if (typeof token !== 'string') return token;
      const onStatus = (status: number): void => {
        httpStatus = status;
      };
      return await this.clients.use(token, { signal: context.signal, onStatus }, (client) => this.send(client, payload));
    } catch (error) {
      return classifySlackError(error, context.signal, httpStatus);
    }
  }

  /** One message: posted, or updated in place, with its blocks (or without them when Slack refuses them). */
  private async send(client: WebClient, payload: SlackPayload): Promise<ChannelResult> {
    // Blocks go as the JSON text the client would make of them (the same bytes on the wire):
    // given objects, it also walks and copies them for a debug line it builds and we never log.
    const common = { channel: payload.channel, text: truncateCodePoints(payload.text, this.limits.maxText.amount), ...(payload.blocks ? { blocks: JSON.stringify(payload.blocks) as never } : {}) };
    if (payload.updateTs) {
      const result = await client.chat.update({ ...common, ts: payload.updateTs });
      return { status: 'sent', ...(result.ts ? { id: result.ts } : {}) };
    }
    const post = (fields: typeof common) =>
      client.chat.postMessage({ ...fields, ...(payload.threadTs ? { thread_ts: payload.threadTs } : {}), unfurl_links: false, unfurl_media: false });
    const result = await post(common).catch((error: unknown) => {
      // Blocks Slack refuses must not cost the notification: the text alone goes out instead.
      if (payload.blocks && error instanceof WebAPIPlatformError && String(error.data.error) === 'invalid_blocks') {
        return post({ channel: common.channel, text: common.text });
      }
      throw error;
    });
    // Slack answers with the channel ID even when we posted by name: threads need the ID.
    return { status: 'sent', ...(result.ts ? { id: result.ts } : {}), ...(result.ts && result.channel ? { detail: { channel: result.channel, ts: result.ts } } : {}) };
  }

  /** The token, or the result a delivery without it ends with. */
  private async token(waitMs: number, signal: AbortSignal): Promise<string | ChannelResult> {
    if (!this.options.tokenSource) return { status: 'skipped', reason: this.disabledReason ?? 'off' };
    const token = await this.options.tokenSource.get(waitMs, signal);
    if (token.value !== undefined) return token.value;
    const why = token.error ?? 'unknown error';
    if (signal.aborted || token.slow) return { status: 'timedOut', reason: `Slack token not read in time: ${why}` };
    // A secret that holds no token is a setup problem; a read that failed may work next time.
    return { status: 'failed', retryable: !(token.failure instanceof TokenFormatError), reason: `Slack token unavailable: ${why}` };
  }

}
