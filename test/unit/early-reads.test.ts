import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it, vi } from 'vitest';
import { earlyOnce, type EarlyRead } from '../../src/sources/early-reads.ts';

const earlyOf = <A>(asked: string, answer: Promise<A>) => {
  answer.catch(() => undefined);
  const aborted: unknown[] = [];
  const early: EarlyRead<A> = { asked, answer, abort: (reason) => aborted.push(reason) };
  return { early, aborted };
};
const open = () => new AbortController().signal;

describe('earlyOnce (the first read may be answered by the cold start\'s early read)', () => {
  it('answers the first read that asks the same thing from the early answer, without calling the SDK; later reads go to the SDK', async () => {
    const first = earlyOnce(earlyOf('a\nb', Promise.resolve('early')).early);
    const sdk = vi.fn(async () => 'sdk');
    await expect(first('a\nb', sdk, open())).resolves.toBe('early');
    expect(sdk).not.toHaveBeenCalled();
    await expect(first('a\nb', sdk, open())).resolves.toBe('sdk');
    expect(sdk).toHaveBeenCalledTimes(1);
  });

  it('reads through the SDK when the early read failed, and only then', async () => {
    const first = earlyOnce(earlyOf<string>('s', Promise.reject(new Error('HTTP 503'))).early);
    const sdk = vi.fn(async () => 'sdk');
    await expect(first('s', sdk, open())).resolves.toBe('sdk');
    expect(sdk).toHaveBeenCalledTimes(1);
  });

  it('never hands an answer to a read that asked something else', async () => {
    const first = earlyOnce(earlyOf('one-secret', Promise.resolve('early')).early);
    await expect(first('another-secret', async () => 'sdk', open())).resolves.toBe('sdk');
    // Still unused, so still there for the read that asks for it.
    await expect(first('one-secret', async () => 'sdk', open())).resolves.toBe('early');
  });

  it('with no early read, every read is the SDK\'s', async () => {
    const first = earlyOnce<string>(undefined);
    await expect(first('x', async () => 'sdk', open())).resolves.toBe('sdk');
  });

  it('when its reader gives up first: rejects with the reason, gives the early request up, and no SDK read follows', async () => {
    let fail!: (error: Error) => void;
    const { early, aborted } = earlyOf<string>('s', new Promise((_, reject) => (fail = reject)));
    const first = earlyOnce(early);
    const sdk = vi.fn(async () => 'sdk');
    const controller = new AbortController();
    const read = first('s', sdk, controller.signal);
    const reason = new Error('no answer within 1200 ms');
    controller.abort(reason);
    await expect(read).rejects.toBe(reason);
    expect(aborted).toEqual([reason]);
    fail(new Error('given up by its reader'));
    await Promise.resolve();
    expect(sdk).not.toHaveBeenCalled();
  });

  it('a reader already given up neither waits nor reads', async () => {
    const { early, aborted } = earlyOf('s', new Promise<string>(() => undefined));
    const sdk = vi.fn(async () => 'sdk');
    const reason = new Error('deadline');
    await expect(earlyOnce(early)('s', sdk, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(aborted).toEqual([reason]);
    expect(sdk).not.toHaveBeenCalled();
  });
});

describe('startEarlyReads over loopback HTTP', () => {
  const access = (url: string) => ({ credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' }, region: 'us-east-1', endpoints: { ssm: new URL(url), secretsmanager: new URL(url) } });

  async function server(answer: (body: string, headers: import('node:http').IncomingHttpHeaders, res: import('node:http').ServerResponse) => void) {
    const { createServer } = await import('node:http');
    const seen: { body: string; headers: import('node:http').IncomingHttpHeaders }[] = [];
    const s = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ body, headers: req.headers });
        answer(body, req.headers, res);
      });
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const { port } = s.address() as import('node:net').AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }) };
  }

  it('sends signed JSON-protocol requests and hands back the raw answers', async () => {
    const { startEarlyReads } = await import('../../src/sources/early-reads.ts');
    const srv = await server((body, headers, res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(headers['x-amz-target'] === 'AmazonSSM.GetParameters' ? JSON.stringify({ Parameters: [{ Name: '/p/slack', Value: 'hi' }] }) : JSON.stringify({ SecretString: 'xoxb-1' }));
    });
    try {
      const reads = startEarlyReads(access(srv.url), { parameterNames: ['/p/slack', '/p/routes'], secretId: 'arn:secret' }, { timeoutMs: 2000, now: () => new Date('2026-11-29T00:00:00Z') });
      await reads.written;
      await expect(reads.parameters?.answer).resolves.toEqual({ Parameters: [{ Name: '/p/slack', Value: 'hi' }] });
      await expect(reads.secret?.answer).resolves.toEqual({ SecretString: 'xoxb-1' });
      expect(reads.parameters?.asked).toBe('/p/slack\n/p/routes');
      const bodies = srv.seen.map((r) => JSON.parse(r.body) as unknown);
      expect(bodies).toContainEqual({ Names: ['/p/slack', '/p/routes'], WithDecryption: true });
      expect(bodies).toContainEqual({ SecretId: 'arn:secret' });
      for (const { headers, body } of srv.seen) {
        expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA\/20261129\/us-east-1\/(ssm|secretsmanager)\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
        expect(headers['content-type']).toBe('application/x-amz-json-1.1');
        expect(headers.host).toBe(new URL(srv.url).host);
        // What the service checks: the signature recomputed by the SDK's signer over the bytes and headers received.
        const service = /\/(ssm|secretsmanager)\//.exec(String(headers.authorization))?.[1] ?? '';
        const signed = Object.fromEntries(['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-target'].map((name) => [name, String(headers[name])]));
        const [hostname, port] = String(headers.host).split(':');
        const expected = await new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'AKIA', secretAccessKey: 's' }, sha256: Sha256 }).sign(
          new HttpRequest({ method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', headers: signed, body }),
          { signingDate: new Date('2026-11-29T00:00:00Z') },
        );
        expect(headers.authorization).toBe(expected.headers.authorization);
      }
    } finally {
      await srv.close();
    }
  });

  it('rejects with the HTTP status and error type (never the message), and on no answer within the cap; `written` resolves either way', async () => {
    const { startEarlyReads, EarlyReadError } = await import('../../src/sources/early-reads.ts');
    const srv = await server((_body, headers, res) => {
      if (headers['x-amz-target'] === 'AmazonSSM.GetParameters') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.ssm#AccessDeniedException', message: 'User arn:aws:iam::1:role/x is not authorized' }));
      }
      // Secrets Manager: never answered.
    });
    try {
      const reads = startEarlyReads(access(srv.url), { parameterNames: ['/p/slack'], secretId: 's' }, { timeoutMs: 100 });
      await reads.written;
      const parameters = await reads.parameters?.answer.catch((e: unknown) => e);
      expect(parameters).toBeInstanceOf(EarlyReadError);
      expect(String(parameters)).toBe('EarlyReadError: ssm AmazonSSM.GetParameters: HTTP 400 AccessDeniedException');
      await expect(reads.secret?.answer).rejects.toThrow('secretsmanager secretsmanager.GetSecretValue: no answer within 100 ms');
    } finally {
      await srv.close();
    }
  });
});
