import { TokenFormatError } from '../../src/sources/slack-token.ts';
import { describe, expect, it } from 'vitest';
import { SlackChannel, SLACK_TEXT_MAX_CHARS, type TokenSource } from '../../src/channels/slack.ts';
import type { DeliveryContext } from '../../src/channels/channel.ts';

const token: TokenSource = { get: async () => ({ value: 'xoxb-test-token', source: 'cache' }) };
const ctx = (ms = 2000): DeliveryContext => ({ signal: AbortSignal.timeout(ms), readBy: Date.now() + ms / 2 });
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function channelWith(fetchImpl: typeof fetch, tokenSource: TokenSource | undefined = token, channel: string | undefined = 'C0123') {
  return new SlackChannel({ tokenSource, channel, apiUrl: 'http://127.0.0.1:1/api/', fetch: fetchImpl });
}

describe('SlackChannel', () => {
  it('posts channel, text and no unfurls with the bearer token', async () => {
    const seen: { url: string; body: URLSearchParams; auth: string | null }[] = [];
    const slack = channelWith(async (url, init) => {
      seen.push({ url: String(url), body: new URLSearchParams(String(init?.body)), auth: new Headers(init?.headers).get('authorization') });
      return json({ ok: true, ts: '1.2' });
    });
    expect(await slack.deliver({ channel: 'C0123', text: 'hello' }, ctx())).toEqual({ status: 'sent', id: '1.2' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('http://127.0.0.1:1/api/chat.postMessage');
    expect(seen[0]?.auth).toBe('Bearer xoxb-test-token');
    expect(Object.fromEntries(seen[0]!.body)).toEqual({ channel: 'C0123', text: 'hello', unfurl_links: 'false', unfurl_media: 'false' });
    expect(seen[0]?.body.has('link_names')).toBe(false);
  });

  it('cuts text to Slack’s 40,000 characters', async () => {
    let sent = '';
    const slack = channelWith(async (_url, init) => {
      sent = new URLSearchParams(String(init?.body)).get('text') ?? '';
      return json({ ok: true });
    });
    await slack.deliver({ channel: 'C1', text: 'x'.repeat(50_000) }, ctx());
    expect(sent).toHaveLength(SLACK_TEXT_MAX_CHARS);
    expect(sent.endsWith('…')).toBe(true);
  });

  it.each([
    ['invalid_auth', false],
    ['channel_not_found', false],
    ['not_in_channel', false],
    ['is_archived', false],
    ['internal_error', true],
    ['ratelimited', true],
  ])('platform error %s is retryable=%s', async (error, retryable) => {
    const slack = channelWith(async () => json({ ok: false, error }));
    expect(await slack.deliver({ channel: 'C1', text: 't' }, ctx())).toEqual({ status: 'failed', retryable, reason: error });
  });

  it('429 is rejected at once with its Retry-After, not slept through', async () => {
    let calls = 0;
    const slack = channelWith(async () => {
      calls += 1;
      return json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '30' });
    });
    const started = Date.now();
    const result = await slack.deliver({ channel: 'C1', text: 't' }, ctx());
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 'failed', retryable: true, retryAfterSeconds: 30 });
    expect(calls).toBe(1);
  });

  it('5xx is retryable and not retried in the handler', async () => {
    let calls = 0;
    const slack = channelWith(async () => {
      calls += 1;
      return new Response('upstream', { status: 503, statusText: 'Service Unavailable' });
    });
    expect(await slack.deliver({ channel: 'C1', text: 't' }, ctx())).toMatchObject({ status: 'failed', retryable: true, reason: 'HTTP 503 Service Unavailable' });
    expect(calls).toBe(1);
  });

  it('a network error is retryable', async () => {
    const slack = channelWith(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    });
    const result = await slack.deliver({ channel: 'C1', text: 't' }, ctx());
    expect(result).toMatchObject({ status: 'failed', retryable: true });
    expect(result.status === 'failed' && result.reason).toContain('ECONNREFUSED');
  });

  it('a hang ends as timedOut when the deadline aborts', async () => {
    const slack = channelWith(
      (_url, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const started = Date.now();
    const result = await slack.deliver({ channel: 'C1', text: 't' }, ctx(50));
    expect(result.status).toBe('timedOut');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is skipped without a token secret or a channel', async () => {
    const never: typeof fetch = async () => {
      throw new Error('must not be called');
    };
    const noToken = new SlackChannel({ tokenSource: undefined, channel: 'C1', apiUrl: 'http://127.0.0.1:1/api/', fetch: never });
    expect(await noToken.deliver({ channel: 'C', text: 't' }, ctx())).toEqual({ status: 'skipped', reason: 'SLACK_TOKEN_SECRET_ID is not set' });
    const noChannel = new SlackChannel({ tokenSource: token, channel: undefined, apiUrl: 'http://127.0.0.1:1/api/', fetch: never });
    expect(await noChannel.deliver({ channel: '', text: 't' }, ctx())).toEqual({ status: 'skipped', reason: 'SLACK_CHANNEL is not set' });
  });

  it('fails retryably when the token could not be read, permanently when the secret holds no token', async () => {
    const never: typeof fetch = async () => {
      throw new Error('must not be called');
    };
    const unreadable: TokenSource = { get: async () => ({ value: undefined, source: 'none', error: 'ThrottlingException: slow down' }) };
    const format = new TokenFormatError('the Slack token secret does not hold a Slack token (expected xoxb-…)');
    const malformed: TokenSource = { get: async () => ({ value: undefined, source: 'none', error: `TokenFormatError: ${format.message}`, failure: format }) };
    expect(await channelWith(never, unreadable).deliver({ channel: 'C', text: 't' }, ctx())).toMatchObject({ status: 'failed', retryable: true });
    expect(await channelWith(never, malformed).deliver({ channel: 'C', text: 't' }, ctx())).toMatchObject({ status: 'failed', retryable: false });
  });

  it('never puts the token in a result', async () => {
    const slack = channelWith(async () => json({ ok: false, error: 'invalid_auth' }, 200));
    const result = await slack.deliver({ channel: 'C1', text: 't' }, ctx());
    expect(JSON.stringify(result)).not.toContain('xoxb-test-token');
  });

  it('sends Block Kit blocks as one JSON field beside the text, as the Web API takes them', async () => {
    const bodies: URLSearchParams[] = [];
    const slack = channelWith(async (_url, init) => {
      bodies.push(new URLSearchParams(String(init?.body)));
      return json({ ok: true, channel: 'C0123', ts: '1.2' });
    });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'a "quoted" & <escaped> value' } }, { type: 'divider' }];
    expect(await slack.deliver({ channel: 'C0123', text: 'hello', blocks }, ctx())).toMatchObject({ status: 'sent', id: '1.2' });
    expect(bodies[0]?.get('blocks')).toBe(JSON.stringify(blocks));
    expect(bodies[0]?.get('text')).toBe('hello');
  });

  it('when Slack refuses the blocks, the text alone still goes out (it is the notification)', async () => {
    const bodies: URLSearchParams[] = [];
    const fetchImpl: typeof fetch = async (_url, init) => {
      const body = new URLSearchParams(String(init?.body));
      bodies.push(body);
      return body.has('blocks') ? json({ ok: false, error: 'invalid_blocks' }) : json({ ok: true, channel: 'C0123', ts: '1.2' });
    };
    const result = await channelWith(fetchImpl).deliver({ channel: 'C0123', text: 'hello', blocks: [{ type: 'section' }] }, ctx());
    expect(result).toMatchObject({ status: 'sent', id: '1.2' });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.has('blocks')).toBe(false);
    expect(bodies[1]?.get('text')).toBe('hello');
  });
});
