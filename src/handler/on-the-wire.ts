import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** An SDK client as far as this needs it: its middleware stack. */
interface SdkClient {
  readonly middlewareStack: object;
}
interface Stack {
  add(middleware: unknown, options: object): void;
  remove(name: string): boolean;
}
type Args = { request?: { headers?: Record<string, string | undefined> } };

const MIDDLEWARE_NAME = 'clientvpnNotifierOnTheWire';
/** Unique to one command sent: set by the SDK's retry middleware, which runs before ours. */
const REQUEST_ID_HEADER = 'amz-sdk-invocation-id';
/** Node's http client publishes each ClientRequest here as it is made (Node 20 and later). */
const HTTP_REQUEST_CHANNEL = 'http.client.request.start';

export interface WireWatch {
  /** Every client has sent a request, and every request they sent has been written. */
  readonly written: Promise<void>;
  /** Stops watching (and resolves `written`): for a cap, or when the reads end before. */
  stop(): void;
}

/**
 * Watches the requests `clients` send from now on, until each client has sent one and every
 * one sent has been written to its socket: the request's 'finish', when its bytes are with the
 * kernel (for HTTPS, after the TLS handshake). Reaching the end of the SDK's middleware stack is
 * not enough: the HTTP handler still takes a few turns of the event loop to connect and write,
 * and CPU work started then (the warm-up) would hold the request back.
 *
 * A request is recognised by its invocation id: a middleware at the end of the SDK stack notes
 * it, and Node's http client channel hands over the ClientRequest that carries it.
 */
export function watchOnTheWire(clients: readonly SdkClient[]): WireWatch {
  const sent = new Set<SdkClient>();
  const inFlight = new Set<string>();
  let stopped = false;
  let resolve!: () => void;
  const written = new Promise<void>((r) => {
    resolve = r;
  });

  const check = (): void => {
    if (sent.size === clients.length && inFlight.size === 0) stop();
  };
  const onRequest = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const id = request?.getHeader(REQUEST_ID_HEADER);
    if (!request || typeof id !== 'string' || !inFlight.has(id)) return;
    const done = (): void => {
      inFlight.delete(id);
      check();
    };
    request.once('finish', done);
    request.once('close', done);
  };
  function stop(): void {
    if (stopped) return;
    stopped = true;
    unsubscribe(HTTP_REQUEST_CHANNEL, onRequest);
    for (const client of clients) (client.middlewareStack as Stack).remove(MIDDLEWARE_NAME);
    resolve();
  }

  for (const client of clients) {
    (client.middlewareStack as Stack).add(
      (next: (args: Args) => Promise<unknown>) => (args: Args) => {
        const id = args.request?.headers?.[REQUEST_ID_HEADER];
        if (id) inFlight.add(id);
        sent.add(client);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME },
    );
  }
  subscribe(HTTP_REQUEST_CHANNEL, onRequest);
  // Nothing to watch (the first stage sent every read): written already.
  check();
  return { written, stop };
}
