import { WebClient, type FetchFunction } from '@slack/web-api';
import { httpFetch } from '../channels/http-fetch.ts';
import { classifySlackError, quietLogger } from '../channels/slack.ts';
import { describeError as describe } from '../base/errors.ts';
import type { EphemeralMessage } from './messages.ts';

/** How a message to Slack went; `reason` is secret-free. */
export type ReplyOutcome = { readonly status: 'sent' } | { readonly status: 'failed' | 'timedOut'; readonly reason: string };

export interface ThreadReply {
  readonly channel: string;
  readonly threadTs: string;
  readonly text: string;
}

/** The two ways the function talks back to Slack besides its HTTP answer. */
export interface SlackReplies {
  /** chat.postMessage in the thread of the message the button was on (needs the bot token). */
  postThreadReply(token: string, reply: ThreadReply, signal: AbortSignal): Promise<ReplyOutcome>;
  /** POST to the payload's `response_url`: an answer only the clicking user sees (no token). */
  respond(responseUrl: string, message: EphemeralMessage, signal: AbortSignal): Promise<ReplyOutcome>;
}


/** `fetch`: the transport, node:http(s) by default, as the channels' (src/channels/http-fetch.ts says why). */
export function slackReplies(options: { readonly apiUrl: string | undefined; readonly fetch?: FetchFunction }): SlackReplies {
  const baseFetch = options.fetch ?? httpFetch;
  return {
    async postThreadReply(token, reply, signal) {
      if (!options.apiUrl) return { status: 'failed', reason: 'SLACK_API_URL was refused, so nothing is posted to Slack' };
      // Configured as the connect handler's Slack channel is: no retries, no sleeping through
      // a 429, no client timeout of its own; the invocation's deadline bounds the call.
      const client = new WebClient(token, {
        slackApiUrl: options.apiUrl,
        logger: quietLogger,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout: 0,
        allowAbsoluteUrls: false,
        fetch: (url, init) => baseFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal }),
      });
      try {
        await client.chat.postMessage({ channel: reply.channel, thread_ts: reply.threadTs, text: reply.text, unfurl_links: false, unfurl_media: false });
        return { status: 'sent' };
      } catch (error) {
        const result = classifySlackError(error, signal);
        return result.status === 'timedOut' ? { status: 'timedOut', reason: result.reason } : { status: 'failed', reason: 'reason' in result ? result.reason : 'unknown' };
      }
    },

    async respond(responseUrl, message, signal) {
      let url: URL;
      try {
        url = new URL(responseUrl);
      } catch {
        return { status: 'failed', reason: 'the request carried no usable response_url' };
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { status: 'failed', reason: 'the response_url is not an http(s) URL' };
      try {
        const response = await baseFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ ...message, replace_original: false }),
          signal,
        });
        // Drain the body so the socket is released; Slack answers "ok" or a short error word.
        const body = (await response.text()).slice(0, 100);
        return response.ok ? { status: 'sent' } : { status: 'failed', reason: `HTTP ${response.status} ${body}`.trim() };
      } catch (error) {
        return signal.aborted ? { status: 'timedOut', reason: describe(error) } : { status: 'failed', reason: describe(error) };
      }
    },
  };
}
