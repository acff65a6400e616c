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
import type { IncomingHttpHeaders } from 'node:http';
import type { FetchFunction } from '@slack/web-api';
import { httpExchange, type HttpAnswer } from '../base/http-exchange.ts';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export const httpFetch: FetchFunction = async (input, init = {}) => {
  const url = new URL(String(input));
  if (init.body !== undefined && typeof init.body !== 'string') throw new TypeError('http-fetch: only string bodies are supported (no file uploads)');
  const exchange = httpExchange(url, { method: init.method ?? 'GET', headers: { ...init.headers }, body: init.body ?? '', ...(init.signal ? { signal: init.signal } : {}), maxBytes: MAX_BODY_BYTES });
  return answer(url, await exchange.answer);
};

function answer(url: URL, { status, statusText, headers, body }: HttpAnswer): FetchResponse {
  const text = body.toString('utf8');
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url: url.href,
    headers: headersOf(headers),
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
