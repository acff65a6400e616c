import { describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { SlackClients } from '../../src/channels/slack-clients.ts';
import { quietLogger } from '../../src/channels/slack.ts';

const ok = () => new Response(JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }), { status: 200, headers: { 'content-type': 'application/json' } });
const OPTIONS = { slackApiUrl: 'http://127.0.0.1:1/api/', logger: quietLogger, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true } as const;
const call = (signal: AbortSignal = new AbortController().signal, onStatus: (status: number) => void = () => undefined) => ({ signal, onStatus });
const post = (client: WebClient) => client.chat.postMessage({ channel: 'C1', text: 't' });

/** A fetch that answers each request only when the test says so, keeping what it was given. */
function heldFetch() {
  const requests: { auth: string | null; signal: AbortSignal | undefined; answer: () => void }[] = [];
  const fetchImpl: typeof fetch = (_url, init) =>
    new Promise((resolve, reject) => {
      const signal = init?.signal ?? undefined;
      signal?.addEventListener('abort', () => reject(signal.reason));
      requests.push({ auth: new Headers(init?.headers).get('authorization'), signal, answer: () => resolve(ok()) });
    });
  return { requests, fetchImpl };
}

describe('SlackClients', () => {
  it('one client serves deliveries one after another; concurrent ones get their own', async () => {
    const clients = new SlackClients(OPTIONS, async () => ok());
    const seen: WebClient[] = [];
    const keep = async (client: WebClient) => {
      seen.push(client);
      return post(client);
    };
    await clients.use('xoxb-1', call(), keep);
    await clients.use('xoxb-1', call(), keep);
    expect(seen[1]).toBe(seen[0]);
    await Promise.all([clients.use('xoxb-1', call(), keep), clients.use('xoxb-1', call(), keep)]);
    expect(seen[2]).not.toBe(seen[3]);
    expect([seen[2], seen[3]]).toContain(seen[0]);
  });

  it('each call is bounded by its own signal: aborting one leaves the other to finish', async () => {
    const { requests, fetchImpl } = heldFetch();
    const clients = new SlackClients(OPTIONS, fetchImpl);
    const first = new AbortController();
    const statuses: number[] = [];
    const a = clients.use('xoxb-1', call(first.signal), post);
    const b = clients.use('xoxb-1', call(undefined, (status) => statuses.push(status)), post);
    await expect.poll(() => requests.length).toBe(2);
    first.abort(new Error('deadline'));
    await expect(a).rejects.toThrow();
    requests[1]?.answer();
    await expect(b).resolves.toMatchObject({ ok: true, ts: '1.2' });
    expect(statuses).toEqual([200]);
  });

  it('once a call has ended, aborting its delivery no longer reaches the request', async () => {
    const { requests, fetchImpl } = heldFetch();
    const clients = new SlackClients(OPTIONS, fetchImpl);
    const deadline = new AbortController();
    const done = clients.use('xoxb-1', call(deadline.signal), post);
    await expect.poll(() => requests.length).toBe(1);
    requests[0]?.answer();
    await done;
    deadline.abort(new Error('answered'));
    expect(requests[0]?.signal?.aborted).toBe(false);
  });

  it('a new token retires the clients of the old one', async () => {
    const { requests, fetchImpl } = heldFetch();
    const clients = new SlackClients(OPTIONS, fetchImpl);
    const send = (token: string) => {
      const done = clients.use(token, call(), post);
      return expect.poll(() => requests.length).toBeGreaterThan(0).then(() => {
        requests.at(-1)?.answer();
        return done;
      });
    };
    await send('xoxb-old');
    await send('xoxb-new');
    expect(requests.map((r) => r.auth)).toEqual(['Bearer xoxb-old', 'Bearer xoxb-new']);
  });

  it('a client used outside a call refuses to send', async () => {
    const clients = new SlackClients(OPTIONS, async () => ok());
    let escaped: WebClient | undefined;
    await clients.use('xoxb-1', call(), async (client) => {
      escaped = client;
      return post(client);
    });
    await expect(post(escaped!)).rejects.toThrow(/outside a delivery/);
  });
});
