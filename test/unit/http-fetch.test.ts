import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from '../../src/channels/http-fetch.ts';
import { isNetworkError } from '../../src/channels/network-errors.ts';
import { closedPort } from '../support/net.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
}

describe('httpFetch (the Slack client over node:http(s), no undici)', () => {
  it('sends method, headers and the string body; hands back status, headers (case-insensitive) and body', async () => {
    let seen: { method?: string; type?: string; length?: string; body?: string } = {};
    const base = await serve((req, body, res) => {
      seen = { method: req.method, type: req.headers['content-type'], length: req.headers['content-length'], body };
      res.writeHead(429, 'Too Many Requests', { 'Retry-After': '7', 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"ok":false,"error":"ratelimited"}');
    });
    const response = await httpFetch(`${base}chat.postMessage`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'channel=C1&text=h%C3%A9' });
    expect(seen).toEqual({ method: 'POST', type: 'application/x-www-form-urlencoded', length: '23', body: 'channel=C1&text=h%C3%A9' });
    expect(response).toMatchObject({ ok: false, status: 429, statusText: 'Too Many Requests', url: `${base}chat.postMessage` });
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('Retry-After')).toBe('7');
    expect(response.headers.get('x-missing')).toBeNull();
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({ 'retry-after': '7', 'content-type': 'application/json; charset=utf-8' });
    await expect(response.json()).resolves.toEqual({ ok: false, error: 'ratelimited' });
    expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('{"ok":false,"error":"ratelimited"}');
  });

  it('carries the Web API client: a post, a platform error and a 429 come back as the SDK reports them', async () => {
    let calls = 0;
    const base = await serve((_req, _body, res) => {
      calls += 1;
      if (calls === 1) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.2","channel":"C1"}');
      if (calls === 2) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"channel_not_found"}');
      res.writeHead(429, { 'retry-after': '3' }).end();
    });
    const client = new WebClient('xoxb-1', { slackApiUrl: base, fetch: httpFetch, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).resolves.toMatchObject({ ok: true, ts: '1.2' });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 });
  });

  it('a refused connection and an abort reject with errors the channel classifies as network errors', async () => {
    const refused = await httpFetch(`http://127.0.0.1:${await closedPort()}/api/x`, { method: 'POST', body: '' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isNetworkError(refused)).toBe(true);

    const base = await serve(() => undefined); // never answers
    const controller = new AbortController();
    const pending = httpFetch(`${base}x`, { method: 'POST', body: '', signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(new DOMException('deadline', 'TimeoutError'));
    const aborted = await pending;
    expect(aborted).toMatchObject({ name: 'AbortError' });
    expect(isNetworkError(aborted)).toBe(true);
  });

  it('an abort after the server has the request, and one halfway through the answer, both reject as network errors', async () => {
    let received!: () => void;
    const gotRequest = new Promise<void>((resolve) => (received = resolve));
    let wrote!: () => void;
    const halfWritten = new Promise<void>((resolve) => (wrote = resolve));
    const base = await serve((req, _body, res) => {
      if (!req.url?.endsWith('/half')) return received();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":tr', () => wrote()); // and never the rest
    });
    const silent = new AbortController();
    const waiting = httpFetch(`${base}silent`, { method: 'POST', body: 'x', signal: silent.signal }).catch((e: unknown) => e);
    await gotRequest;
    silent.abort(new DOMException('deadline', 'TimeoutError'));
    expect(isNetworkError(await waiting)).toBe(true);

    const half = new AbortController();
    const reading = httpFetch(`${base}half`, { method: 'POST', body: 'x', signal: half.signal }).catch((e: unknown) => e);
    await halfWritten;
    await new Promise((resolve) => setImmediate(resolve));
    half.abort(new DOMException('deadline', 'TimeoutError'));
    const error = await reading;
    expect(error).toBeInstanceOf(Error);
    expect(isNetworkError(error)).toBe(true);
  });

  it('does not follow a redirect: the 3xx comes back, and the Web API client refuses it', async () => {
    const base = await serve((req, _body, res) => {
      if (req.url?.endsWith('/elsewhere')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      res.writeHead(302, { location: '/api/elsewhere' }).end();
    });
    await expect(httpFetch(`${base}chat.postMessage`, { method: 'POST', body: '' })).resolves.toMatchObject({ status: 302 });
    const client = new WebClient('xoxb-1', { slackApiUrl: base, fetch: httpFetch, retryConfig: { retries: 0 } });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hi' })).rejects.toMatchObject({ code: 'slack_webapi_http_error', statusCode: 302 });
  });

  it('stops reading an answer larger than 5 MB', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 6; i += 1) res.write(chunk);
      res.end();
    });
    await expect(httpFetch(`${base}x`, { method: 'POST', body: '' })).rejects.toThrow('answer larger than 5242880 bytes');
  });

  it('refuses what it does not implement instead of sending something else', async () => {
    await expect(httpFetch('ftp://127.0.0.1/x')).rejects.toThrow('ftp: URLs are not supported');
    await expect(httpFetch('http://127.0.0.1/x', { method: 'POST', body: new FormData() })).rejects.toThrow('only string bodies');
  });
});
