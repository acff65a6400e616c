import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * An HTTP proxy in front of one AWS service on moto_server that can be told to misbehave:
 * hang (accept and never answer), answer 5xx, or throttle in the service's own error format.
 * ("Refused" needs no proxy: point the endpoint at a closed port.)
 */
export type AwsFault = 'pass' | 'hang' | '5xx' | 'throttle';

export interface FaultProxy {
  readonly url: string;
  fault: AwsFault;
  /** Milliseconds added before every answer (latency injection for the benchmark). */
  delayMs: number;
  /** Requests received since the last reset, by X-Amz-Target or Action. */
  readonly requests: string[];
  reset(): void;
  close(): Promise<void>;
}

function throttle(req: IncomingMessage, body: string, res: ServerResponse): void {
  if (req.headers['x-amz-target']) {
    // awsJson protocols (SSM, Secrets Manager)
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ThrottlingException' });
    res.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
    return;
  }
  // awsQuery protocol (SNS)
  void body;
  res.writeHead(400, { 'content-type': 'text/xml' });
  res.end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault</RequestId></ErrorResponse>');
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const state = { fault: 'pass' as AwsFault, requests: [] as string[], delayMs: 0 };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => (state.delayMs > 0 ? setTimeout(answer, state.delayMs) : answer()));
    const answer = (): void => {
      const body = Buffer.concat(chunks);
      const text = body.toString();
      const action = String(req.headers['x-amz-target'] ?? new URLSearchParams(text).get('Action') ?? req.url);
      state.requests.push(action);
      switch (state.fault) {
        case 'hang':
          return; // never answer; the socket is destroyed on close()
        case '5xx':
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('Service Unavailable');
          return;
        case 'throttle':
          throttle(req, text, res);
          return;
        default: {
          const forward = request(
            { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          forward.on('error', () => {
            res.writeHead(502);
            res.end();
          });
          forward.end(body);
        }
      }
    };
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    get fault() {
      return state.fault;
    },
    set fault(value: AwsFault) {
      state.fault = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get requests() {
      return state.requests;
    },
    reset() {
      state.fault = 'pass';
      state.delayMs = 0;
      state.requests.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
