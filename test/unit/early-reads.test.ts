import { describe, expect, it, vi } from 'vitest';
import { earlyOnce, type EarlyRead } from '../../src/sources/early-reads.ts';

const earlyOf = <A>(asked: string, answer: Promise<A>): EarlyRead<A> => {
  answer.catch(() => undefined);
  return { asked, answer };
};

describe('earlyOnce (the first read may be answered by the cold start\'s early read)', () => {
  it('answers the first read that asks the same thing from the early answer, without calling the SDK; later reads go to the SDK', async () => {
    const first = earlyOnce(earlyOf('a\nb', Promise.resolve('early')));
    const sdk = vi.fn(async () => 'sdk');
    await expect(first('a\nb', sdk)).resolves.toBe('early');
    expect(sdk).not.toHaveBeenCalled();
    await expect(first('a\nb', sdk)).resolves.toBe('sdk');
    expect(sdk).toHaveBeenCalledTimes(1);
  });

  it('reads through the SDK when the early read failed, and only then', async () => {
    const first = earlyOnce(earlyOf<string>('s', Promise.reject(new Error('HTTP 503'))));
    const sdk = vi.fn(async () => 'sdk');
    await expect(first('s', sdk)).resolves.toBe('sdk');
    expect(sdk).toHaveBeenCalledTimes(1);
  });

  it('never hands an answer to a read that asked something else', async () => {
    const first = earlyOnce(earlyOf('one-secret', Promise.resolve('early')));
    await expect(first('another-secret', async () => 'sdk')).resolves.toBe('sdk');
    // Still unused, so still there for the read that asks for it.
    await expect(first('one-secret', async () => 'sdk')).resolves.toBe('early');
  });

  it('with no early read, every read is the SDK\'s', async () => {
    const first = earlyOnce<string>(undefined);
    await expect(first('x', async () => 'sdk')).resolves.toBe('sdk');
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
      for (const { headers } of srv.seen) {
        expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA\/20261129\/us-east-1\/(ssm|secretsmanager)\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
        expect(headers['content-type']).toBe('application/x-amz-json-1.1');
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
