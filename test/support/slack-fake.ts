import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

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
  readonly posts: SlackPost[];
  /** Every request, including refused ones. */
  readonly attempts: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startSlackFake(expectedToken: string): Promise<SlackFake> {
  const sockets = new Set<Socket>();
  const state = { fault: 'ok' as SlackFault, retryAfter: 30, posts: [] as SlackPost[], attempts: 0, window: [] as number[], perSecond: 3, delayMs: 0 };
  const reply = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (state.delayMs > 0 ? setTimeout(answer, state.delayMs) : answer()));
    const answer = (): void => {
      state.attempts += 1;
      if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') return reply(res, 404, { ok: false, error: 'unknown_method' });
      switch (state.fault) {
        case 'hang':
          return;
        case '5xx':
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('Internal Server Error');
          return;
        case '429':
          return reply(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(state.retryAfter) });
        case 'ratelimit': {
          // Slack's chat.postMessage: about one message per second per channel, short bursts allowed.
          const now = Date.now();
          state.window = state.window.filter((t) => now - t < 1000);
          if (state.window.length >= state.perSecond) return reply(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
          state.window.push(now);
          break;
        }
        case 'invalid_auth':
        case 'channel_not_found':
          return reply(res, 200, { ok: false, error: state.fault });
        default:
          break;
      }
      if (req.headers.authorization !== `Bearer ${expectedToken}`) return reply(res, 200, { ok: false, error: 'invalid_auth' });
      const fields = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      if (!fields.channel) return reply(res, 200, { ok: false, error: 'channel_not_found' });
      if (!fields.text) return reply(res, 200, { ok: false, error: 'no_text' });
      state.posts.push({ channel: fields.channel, text: fields.text, fields });
      return reply(res, 200, { ok: true, channel: fields.channel, ts: `${Date.now() / 1000}` });
    };
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    get fault() {
      return state.fault;
    },
    set fault(value: SlackFault) {
      state.fault = value;
    },
    get retryAfter() {
      return state.retryAfter;
    },
    set retryAfter(value: number) {
      state.retryAfter = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get posts() {
      return state.posts;
    },
    get attempts() {
      return state.attempts;
    },
    reset() {
      state.fault = 'ok';
      state.retryAfter = 30;
      state.delayMs = 0;
      state.window = [];
      state.posts.length = 0;
      state.attempts = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
