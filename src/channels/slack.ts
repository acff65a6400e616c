import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type Logger,
} from '@slack/web-api';
import type { Channel, ChannelLimits, ChannelResult, DeliveryContext, SlackPayload } from './channel.ts';
import type { CacheRead } from '../sources/cache.ts';
import { truncateCodePoints } from '../base/text.ts';

import { SLACK_TEXT_MAX_CHARS } from '../base/contract.ts';

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
  /** For tests and the local run; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

// The Web API client logs request failures itself; we report them once, in our own line.
const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => 'error' as ReturnType<Logger['getLevel']>,
  setName: () => undefined,
};

export function classifySlackError(error: unknown, signal: AbortSignal): ChannelResult {
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
  if (/rate limit|retry header/i.test(message)) return { status: 'failed', retryable: true, reason: `ratelimited: ${detail.slice(0, 200)}` };
  return { status: 'failed', retryable: true, reason: detail.slice(0, 200) };
}

export class SlackChannel implements Channel<SlackPayload> {
  readonly name = 'slack' as const;
  readonly limits: ChannelLimits = { maxText: { amount: SLACK_TEXT_MAX_CHARS, unit: 'characters' } };
  readonly disabledReason: string | undefined;

  constructor(private readonly options: SlackChannelOptions) {
    this.disabledReason = !options.tokenSource
      ? 'SLACK_TOKEN_SECRET_ID is not set'
      : !options.channel
        ? 'SLACK_CHANNEL is not set'
        : undefined;
  }

  warmUp(context: DeliveryContext): void {
    if (this.disabledReason || !this.options.tokenSource) return;
    void this.options.tokenSource.get(context.readBy - Date.now(), context.signal).catch(() => undefined);
  }

  async deliver(payload: SlackPayload, context: DeliveryContext): Promise<ChannelResult> {
    if (this.disabledReason || !this.options.tokenSource) return { status: 'skipped', reason: this.disabledReason ?? 'off' };
    try {
      const token = await this.options.tokenSource.get(context.readBy - Date.now(), context.signal);
      if (token.value === undefined) {
        const why = token.error ?? 'unknown error';
        // A secret that holds no token is a setup problem; a read that failed may work next time.
        const retryable = !why.startsWith('TokenFormatError');
        if (context.signal.aborted) return { status: 'timedOut', reason: `Slack token not read in time: ${why}` };
        return { status: 'failed', retryable, reason: `Slack token unavailable: ${why}` };
      }
      const client = this.client(token.value, context.signal);
      const result = await client.chat.postMessage({
        channel: payload.channel,
        text: truncateCodePoints(payload.text, SLACK_TEXT_MAX_CHARS),
        unfurl_links: false,
        unfurl_media: false,
      });
      return result.ts ? { status: 'sent', id: result.ts } : { status: 'sent' };
    } catch (error) {
      return classifySlackError(error, context.signal);
    }
  }

  private client(token: string, signal: AbortSignal): WebClient {
    const baseFetch = this.options.fetch ?? globalThis.fetch;
    return new WebClient(token, {
      slackApiUrl: this.options.apiUrl ?? '',
      logger: quietLogger,
      // The defaults retry for ~30 minutes and sleep through 429s; the retry queue does that job.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 0,
      allowAbsoluteUrls: false,
      fetch: (url, init) => baseFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
    });
  }
}
