/**
 * The fault proxy's pass-with-delay behaviour (test/support/fault-proxy.ts) plus a clock: each
 * request is stamped when it reaches the proxy (it has left the process under test) and when its
 * answer has been written back (D and the upstream's own time later). Stamps are epoch
 * milliseconds from `performance.timeOrigin + performance.now()`, the same clock the child
 * process stamps its import start with, so the two line up on one machine.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from '../test/support/net.ts';

export interface Stamped {
  /** `service Operation` (from the SigV4 credential scope and X-Amz-Target or Action), or `slack method`. */
  readonly what: string;
  readonly arrived: number;
  answered?: number;
}

export interface TimingProxy {
  readonly url: string;
  delayMs: number;
  /** Requests since the last clear(), in the order they arrived. */
  readonly log: Stamped[];
  clear(): void;
  close(): Promise<void>;
}

export const epochNow = (): number => performance.timeOrigin + performance.now();

/** Names a request: the service from the signature's credential scope, the operation from the target or the Action field. */
export function requestName(headers: IncomingMessage['headers'], url: string, body: string): string {
  const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(headers.authorization ?? ''));
  if (!scope) return `slack ${url.split('?')[0]?.split('/').pop() ?? url}`;
  const target = headers['x-amz-target'];
  const operation = target ? String(target).split('.').pop() : new URLSearchParams(body).get('Action');
  return `${scope[1]} ${operation ?? '?'}`;
}

export async function startTimingProxy(target: string, delayMs: number): Promise<TimingProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const arrived = epochNow();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const stamped: Stamped = { what: requestName(req.headers, req.url ?? '/', body.toString()), arrived };
      proxy.log.push(stamped);
      res.on('finish', () => (stamped.answered = epochNow()));
      setTimeout(() => {
        const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        forward.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        forward.end(body);
      }, proxy.delayMs);
    });
  });
  const listening = await listenOnLoopback(server);
  const proxy: TimingProxy = {
    url: `http://127.0.0.1:${listening.port}`,
    delayMs,
    log: [],
    clear: () => {
      proxy.log.length = 0;
    },
    close: listening.close,
  };
  return proxy;
}
