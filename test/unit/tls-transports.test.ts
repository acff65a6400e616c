/**
 * The two hand-written transports over TLS, as in Lambda (every other test speaks plain HTTP to
 * loopback fakes): the early reads and the Slack client's http-fetch, against a loopback HTTPS
 * server whose self-signed certificate (test/fixtures/tls, for 127.0.0.1 only) the test trusts
 * through the global agent, the one both use.
 */
import { readFileSync } from 'node:fs';
import { createServer, globalAgent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../src/channels/http-fetch.ts';
import { startEarlyReads } from '../../src/sources/early-reads.ts';

const cert = readFileSync(new URL('../fixtures/tls/loopback.crt', import.meta.url));
const key = readFileSync(new URL('../fixtures/tls/loopback.key', import.meta.url));

let server: Server;
let base: string;
const seen: { host?: string; target?: string; body: string }[] = [];
const trusted = globalAgent.options.ca;

beforeAll(async () => {
  server = createServer({ cert, key }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ host: req.headers.host, target: req.headers['x-amz-target'] as string | undefined, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.headers['x-amz-target'] === 'AmazonSSM.GetParameters') return res.end(JSON.stringify({ Parameters: [{ Name: '/p/slack', Value: 'stored' }] }));
      if (req.headers['x-amz-target'] === 'secretsmanager.GetSecretValue') return res.end(JSON.stringify({ SecretString: 'xoxb-1-2' }));
      res.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.2' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  globalAgent.options.ca = trusted;
  globalAgent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const access = (url: string) => ({ credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' }, region: 'us-east-1', endpoints: { ssm: new URL(url), secretsmanager: new URL(url) } });

describe('over TLS', () => {
  it('refuses a server whose certificate it does not trust: the early read fails (and the SDK would read), it is never sent in the clear or unverified', async () => {
    globalAgent.options.ca = trusted;
    const reads = startEarlyReads(access(base), { parameterNames: ['/p/slack'] }, { timeoutMs: 2000 });
    await reads.written;
    await expect(reads.parameters?.answer).rejects.toThrow(/ssm AmazonSSM\.GetParameters: .*(self-signed|self signed)/);
    await expect(httpFetch(`${base}/api/chat.postMessage`, { method: 'POST', body: '' })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('the early reads go over TLS: written, answered, with the Host the endpoint URL gives', async () => {
    globalAgent.options.ca = cert;
    globalAgent.destroy();
    seen.length = 0;
    const reads = startEarlyReads(access(base), { parameterNames: ['/p/slack'], secretId: 'arn:s' }, { timeoutMs: 2000 });
    await reads.written;
    await expect(reads.parameters?.answer).resolves.toEqual({ Parameters: [{ Name: '/p/slack', Value: 'stored' }] });
    await expect(reads.secret?.answer).resolves.toEqual({ SecretString: 'xoxb-1-2' });
    expect(seen.map((r) => r.host)).toEqual([new URL(base).host, new URL(base).host]);
  });

  it('the Slack Web API client posts through http-fetch', async () => {
    globalAgent.options.ca = cert;
    const client = new WebClient('xoxb-1-2', { slackApiUrl: `${base}/api/`, fetch: httpFetch, retryConfig: { retries: 0 } });
    await expect(client.chat.postMessage({ channel: 'C1', text: 'hello' })).resolves.toMatchObject({ ok: true, ts: '1.2' });
    expect(seen.at(-1)?.body).toContain('text=hello');
  });
});
