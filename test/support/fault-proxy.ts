import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './net.ts';

/**
 * An HTTP proxy in front of one AWS service on moto_server that can be told to misbehave:
 * hang (accept and never answer), answer 5xx, or throttle in the service's own error format,
 * and to add latency. ("Refused" needs no proxy: point the endpoint at a closed port.)
 */
export type AwsFault = 'pass' | 'hang' | '5xx' | 'throttle';

export interface FaultProxy {
  readonly url: string;
  fault: AwsFault;
  /** Milliseconds added before every answer (latency injection for the benchmark). */
  delayMs: number;
  /** Requests received since the last reset, by X-Amz-Target or Action. */
  readonly requests: string[];
  /** Their User-Agent headers, in the same order. */
  readonly userAgents: string[];
  /** When set, `fault` applies only to requests whose User-Agent it accepts; the others pass. */
  faultOnly: ((userAgent: string) => boolean) | undefined;
  reset(): void;
  close(): Promise<void>;
}

function throttle(req: IncomingMessage, res: ServerResponse): void {
  if (req.headers['x-amz-target']) {
    // awsJson protocols (SSM, Secrets Manager)
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' });
    res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    return;
  }
  // awsQuery protocol (SNS)
  res.writeHead(400, { 'content-type': 'text/xml' });
  res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault</RequestId></ErrorResponse>');
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (proxy.delayMs > 0 ? setTimeout(answer, proxy.delayMs) : answer()));
    const answer = (): void => {
      const body = Buffer.concat(chunks);
      proxy.requests.push(String(req.headers['x-amz-target'] ?? new URLSearchParams(body.toString()).get('Action') ?? req.url));
      const userAgent = String(req.headers['user-agent'] ?? '');
      proxy.userAgents.push(userAgent);
      switch (!proxy.faultOnly || proxy.faultOnly(userAgent) ? proxy.fault : 'pass') {
        case 'hang':
          return; // never answer; the socket is destroyed on close()
        case '5xx':
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('Service Unavailable');
          return;
        case 'throttle':
          throttle(req, res);
          return;
        default: {
          const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answered) => {
            res.writeHead(answered.statusCode ?? 502, answered.headers);
            answered.pipe(res);
          });
          forward.on('error', () => {
            res.writeHead(502);
            res.end();
          });
          forward.end(body);
        }
      }
    };
  });
  const listening = await listenOnLoopback(server);

  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${listening.port}`,
    fault: 'pass',
    delayMs: 0,
    requests: [],
    userAgents: [],
    faultOnly: undefined,
    reset() {
      proxy.fault = 'pass';
      proxy.faultOnly = undefined;
      proxy.delayMs = 0;
      proxy.requests.length = 0;
      proxy.userAgents.length = 0;
    },
    close: listening.close,
  };
  return proxy;
}
