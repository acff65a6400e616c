/*
 * The Slack Web API client's transport (its `fetch` option, whose interface the SDK keeps
 * minimal for exactly this) over node:http(s) instead of Node's fetch. The AWS SDK has loaded
 * node:https already; Node's fetch is undici, whose first call loads ~15 ms of code on a cold
 * start, on the path before the Slack post leaves (issue 14, BENCHMARKS.md).
 *
 * What the Web API client sends: POST, string bodies (form-encoded or JSON), an abort signal,
 * `redirect: 'error'`. Redirects are not followed (a 3xx comes back as it is, and the client
 * treats every status but 200 and 429 as an error); file uploads (FormData bodies) are refused.
 * The body is read whole before the promise resolves, bounded by MAX_BODY_BYTES and the signal.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class HttpFetchError extends Error {
  override readonly name = 'HttpFetchError';
}

export const httpFetch: FetchFunction = (input, init = {}) =>
  new Promise<FetchResponse>((resolve, reject) => {
    const url = new URL(String(input));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject(new TypeError(`http-fetch: ${url.protocol} URLs are not supported`));
    if (init.body !== undefined && typeof init.body !== 'string') return reject(new TypeError('http-fetch: only string bodies are supported (no file uploads)'));
    const body = init.body ?? '';
    // Not ESM imports: see src/sources/early-reads.ts (node:http's namespace would load undici).
    const { request } = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    const headers: Record<string, string> = { ...init.headers, 'content-length': String(Buffer.byteLength(body)) };
    const outgoing = request(url, { method: init.method ?? 'GET', headers, ...(init.signal ? { signal: init.signal } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          response.destroy(new HttpFetchError(`http-fetch: answer larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.once('end', () => resolve(answer(url, response, Buffer.concat(chunks))));
    });
    // `on`, not `once`: a second 'error' with no listener would be an uncaught exception.
    outgoing.on('error', reject);
    outgoing.end(body);
  });

function answer(url: URL, response: IncomingMessage, body: Buffer): FetchResponse {
  const status = response.statusCode ?? 0;
  const text = body.toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    url: url.href,
    headers: headersOf(response.headers),
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
  };
}

function headersOf(raw: IncomingHttpHeaders): FetchResponse['headers'] {
  const entries: [string, string][] = Object.entries(raw)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]);
  const byName = new Map(entries);
  return { get: (name: string) => byName.get(name.toLowerCase()) ?? null, entries: () => entries[Symbol.iterator]() };
}
