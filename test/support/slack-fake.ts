import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './net.ts';

/**
 * A loopback stand-in for the Slack Web API's chat.postMessage, with injectable faults.
 * It checks the bearer token like Slack does and records every accepted message.
 */
export type SlackFault = 'ok' | 'hang' | '5xx' | '429' | 'invalid_auth' | 'channel_not_found' | 'ratelimit';

export interface SlackPost {
  readonly channel: string;
  readonly text: string;
  readonly fields: Record<string, string>;
}

export interface SlackFake {
  /** Base URL to use as SLACK_API_URL. */
  readonly apiUrl: string;
  fault: SlackFault;
  /** Seconds sent in Retry-After with a 429. */
  retryAfter: number;
  /** Milliseconds added before every answer (latency injection for the benchmark). */
  delayMs: number;
  /**
   * With fault 'ratelimit': messages accepted since the last reset before every further one gets
   * 429 Retry-After 1. Counted, not timed, so a test knows exactly how many go through.
   */
  burst: number;
  readonly posts: SlackPost[];
  /** Every request, including refused ones. */
  attempts: number;
  reset(): void;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startSlackFake(expectedToken: string): Promise<SlackFake> {
  let accepted = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (fake.delayMs > 0 ? setTimeout(answer, fake.delayMs) : answer()));
    const answer = (): void => {
      fake.attempts += 1;
      if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') return reply(res, 404, { ok: false, error: 'unknown_method' });
      switch (fake.fault) {
        case 'hang':
          return;
        case '5xx':
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('Internal Server Error');
          return;
        case '429':
          return reply(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fake.retryAfter) });
        case 'invalid_auth':
        case 'channel_not_found':
          return reply(res, 200, { ok: false, error: fake.fault });
        case 'ratelimit':
          // Slack's chat.postMessage: about one message per second per channel after a short burst.
          if (accepted >= fake.burst) return reply(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
          accepted += 1;
          break;
        default:
          break;
      }
      if (req.headers.authorization !== `Bearer ${expectedToken}`) return reply(res, 200, { ok: false, error: 'invalid_auth' });
      const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      if (!fields.channel) return reply(res, 200, { ok: false, error: 'channel_not_found' });
      if (!fields.text) return reply(res, 200, { ok: false, error: 'no_text' });
      fake.posts.push({ channel: fields.channel, text: fields.text, fields });
      return reply(res, 200, { ok: true, channel: fields.channel, ts: `${Date.now() / 1000}` });
    };
  });
  const listening = await listenOnLoopback(server);

  const fake: SlackFake = {
    apiUrl: `http://127.0.0.1:${listening.port}/api/`,
    fault: 'ok',
    retryAfter: 30,
    delayMs: 0,
    burst: 3,
    posts: [],
    attempts: 0,
    reset() {
      fake.fault = 'ok';
      fake.retryAfter = 30;
      fake.delayMs = 0;
      fake.burst = 3;
      fake.posts.length = 0;
      fake.attempts = 0;
      accepted = 0;
    },
    close: listening.close,
  };
  return fake;
}
