import { WebClient, type FetchFunction, type WebClientOptions } from '@slack/web-api';

/** What one Web API call takes from its delivery: the abort signal, and a hook for the HTTP status seen. */
export interface SlackCall {
  readonly signal: AbortSignal;
  readonly onStatus: (status: number) => void;
}

interface Pooled {
  readonly token: string;
  readonly client: WebClient;
  /** The call this client is serving; undefined while idle. */
  call: { readonly signal: AbortSignal; readonly onStatus: (status: number) => void } | undefined;
}

/** Idle clients kept per channel: one serves every delivery of a warm connect handler. */
const MAX_IDLE = 4;

/**
 * Web API clients, reused across deliveries. A WebClient costs about 0.3 ms to make on a warm
 * invocation (hundreds of bound method wrappers, a request queue, an emitter), on the path
 * before the post leaves; but its fetch is fixed when it is made, and each delivery has its own
 * abort signal. So a client serves one call at a time and its fetch reads that call's signal;
 * concurrent deliveries take other clients, and a new token (rotation) retires the old one's.
 */
export class SlackClients {
  private idle: Pooled[] = [];
  private token: string | undefined;

  constructor(
    private readonly options: Omit<WebClientOptions, 'fetch'>,
    private readonly baseFetch: FetchFunction,
  ) {}

  /** Runs `run` with a client for `token`; its requests abort with `call.signal` until `run` settles. */
  async use<T>(token: string, call: SlackCall, run: (client: WebClient) => Promise<T>): Promise<T> {
    if (token !== this.token) {
      this.token = token;
      this.idle = [];
    }
    const pooled = this.idle.pop() ?? this.create(token);
    // The request listens on a signal of its own, linked to the delivery's only while the call
    // runs: once it has ended, aborting the invocation's deadline has nothing left to wake.
    const own = new AbortController();
    const forward = (): void => own.abort(call.signal.reason);
    if (call.signal.aborted) forward();
    else call.signal.addEventListener('abort', forward, { once: true });
    pooled.call = { signal: own.signal, onStatus: call.onStatus };
    try {
      return await run(pooled.client);
    } finally {
      call.signal.removeEventListener('abort', forward);
      pooled.call = undefined;
      if (pooled.token === this.token && this.idle.length < MAX_IDLE) this.idle.push(pooled);
    }
  }

  private create(token: string): Pooled {
    const pooled: Pooled = {
      token,
      call: undefined,
      client: new WebClient(token, {
        ...this.options,
        fetch: async (url, init) => {
          const call = pooled.call;
          // Only a call made through use() has a signal to bound its request.
          if (!call) throw new Error('Slack Web API client called outside a delivery');
          const response = await this.baseFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, call.signal]) : call.signal });
          call.onStatus(response.status);
          return response;
        },
      }),
    };
    return pooled;
  }
}
