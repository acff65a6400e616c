import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './net.ts';

/**
 * A loopback stand-in for the Slack Web API's chat.postMessage and chat.update, with
 * injectable faults. It checks the bearer token like Slack does, answers with the channel ID
 * (a name is resolved through `channelIds`, as Slack does), gives every message its own `ts`,
 * and records every accepted call.
 */
export type SlackFault = 'ok' | 'hang' | '5xx' | '429' | 'invalid_auth' | 'channel_not_found' | 'ratelimit';

export type SlackMethod = 'chat.postMessage' | 'chat.update';

export interface SlackPost {
  readonly method: SlackMethod;
  /** The channel as sent. */
  readonly channel: string;
  /** The channel ID Slack answered with. */
  readonly channelId: string;
  readonly text: string;
  /** chat.postMessage: the thread replied in (`thread_ts`), when any. */
  readonly threadTs?: string;
  /** chat.postMessage: the new message's ts; chat.update: the updated message's. */
  readonly ts: string;
  /** The `blocks` field, parsed (Slack's Web API client sends it as JSON text); undefined when not sent. */
  readonly blocks?: unknown;
  /** The `blocks` field exactly as received. */
  readonly rawBlocks?: string;
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
  /** Channel names (without `#`) and the IDs Slack answers with; any other channel is taken as an ID. */
  channelIds: Record<string, string>;
  /** Accepted chat.postMessage calls (top-level posts and thread replies). */
  readonly posts: SlackPost[];
  /** Accepted chat.update calls. */
  readonly updates: SlackPost[];
  /** Every accepted call, both methods, in the order they arrived. */
  readonly calls: SlackPost[];
  /** Every request, including refused ones. */
  attempts: number;
  reset(): void;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const METHODS = new Set<string>(['chat.postMessage', 'chat.update']);
/** What Slack accepts as a channel ID in chat.update (it refuses names there). */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

function parseBlocks(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return { unparseable: raw };
  }
}

export async function startSlackFake(expectedToken: string): Promise<SlackFake> {
  let accepted = 0;
  let sequence = 0;
  /** Where each message posted so far is, by ts: chat.update may only name one of these. */
  const messages = new Map<string, string>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (fake.delayMs > 0 ? setTimeout(answer, fake.delayMs) : answer()));
    const answer = (): void => {
      fake.attempts += 1;
      const method = (req.url ?? '').replace(/^\/api\//, '');
      if (req.method !== 'POST' || !req.url?.startsWith('/api/') || !METHODS.has(method)) return reply(res, 404, { ok: false, error: 'unknown_method' });
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
      if (!fields.text && !fields.blocks) return reply(res, 200, { ok: false, error: 'no_text' });
      const blocks = parseBlocks(fields.blocks);
      if (fields.blocks !== undefined && !Array.isArray(blocks)) return reply(res, 200, { ok: false, error: 'invalid_blocks' });
      const common = { channel: fields.channel, text: fields.text ?? '', fields, ...(fields.blocks !== undefined ? { blocks, rawBlocks: fields.blocks } : {}) };

      if (method === 'chat.update') {
        // Slack's chat.update takes a channel ID only, and a ts of a message in that channel.
        if (!CHANNEL_ID.test(fields.channel)) return reply(res, 200, { ok: false, error: 'channel_not_found' });
        if (!fields.ts || messages.get(fields.ts) !== fields.channel) return reply(res, 200, { ok: false, error: 'message_not_found' });
        const call: SlackPost = { method, ...common, channelId: fields.channel, ts: fields.ts };
        fake.updates.push(call);
        fake.calls.push(call);
        return reply(res, 200, { ok: true, channel: fields.channel, ts: fields.ts, text: call.text });
      }

      const channelId = fake.channelIds[fields.channel.replace(/^#/, '')] ?? fields.channel;
      sequence += 1;
      const ts = `${1_700_000_000 + sequence}.${String(sequence).padStart(6, '0')}`;
      messages.set(ts, channelId);
      const call: SlackPost = { method: 'chat.postMessage', ...common, channelId, ts, ...(fields.thread_ts !== undefined ? { threadTs: fields.thread_ts } : {}) };
      fake.posts.push(call);
      fake.calls.push(call);
      return reply(res, 200, { ok: true, channel: channelId, ts, message: { text: call.text, ts } });
    };
  });
  const listening = await listenOnLoopback(server);

  const fake: SlackFake = {
    apiUrl: `http://127.0.0.1:${listening.port}/api/`,
    fault: 'ok',
    retryAfter: 30,
    delayMs: 0,
    burst: 3,
    channelIds: {},
    posts: [],
    updates: [],
    calls: [],
    attempts: 0,
    reset() {
      fake.fault = 'ok';
      fake.retryAfter = 30;
      fake.delayMs = 0;
      fake.burst = 3;
      fake.channelIds = {};
      fake.posts.length = 0;
      fake.updates.length = 0;
      fake.calls.length = 0;
      fake.attempts = 0;
      accepted = 0;
    },
    close: listening.close,
  };
  return fake;
}
