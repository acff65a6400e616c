import type { IncomingHttpHeaders } from 'node:http';

/**
 * One HTTP(S) request over node:http(s), its answer read whole: what the two transports written
 * here share (the connect handler's early reads, src/sources/early-reads.ts; the Slack client's
 * fetch, src/channels/http-fetch.ts). Everything else goes through the SDKs.
 *
 * node:http(s) are not ESM imports: Node 22+ builds node:http's namespace by calling its lazy
 * getters, which load undici (WebSocket): ~25 ms on Node 24, before the first stage could send.
 */
export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface HttpExchange {
  /** Rejects with Node's own error (its `code`, an AbortError), or AnswerTooLargeError. */
  readonly answer: Promise<HttpAnswer>;
  /** The request's bytes are with the kernel (for HTTPS, after the handshake), or it ended: never rejects. */
  readonly written: Promise<void>;
}

export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';
}

export function httpExchange(url: URL, init: { readonly method: string; readonly headers: Readonly<Record<string, string>>; readonly body: string; readonly signal?: AbortSignal; readonly maxBytes: number }): HttpExchange {
  let markWritten!: () => void;
  const written = new Promise<void>((resolve) => {
    markWritten = resolve;
  });
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${url.protocol} URLs are not supported`);
    const { request } = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    const headers = { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) };
    const outgoing = request(url, { method: init.method, headers, ...(init.signal ? { signal: init.signal } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > init.maxBytes) response.destroy(new AnswerTooLargeError(`answer larger than ${init.maxBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on('error', reject);
      response.once('end', () => resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.once('finish', markWritten);
    outgoing.once('close', markWritten);
    // `on`, not `once`: a second 'error' with no listener would be an uncaught exception.
    outgoing.on('error', (error) => {
      markWritten();
      reject(error);
    });
    outgoing.end(init.body);
  });
  // A request that could not even be made (a bad URL) has nothing to write.
  answer.catch(markWritten);
  return { answer, written };
}
