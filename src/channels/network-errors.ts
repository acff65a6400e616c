/**
 * Whether an error without an HTTP answer is the network's (worth another try) or our own
 * (a request that cannot be built, say a lone surrogate the query serializer refuses: it would
 * fail the same way on every retry, so it is permanent).
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ERR_HTTP2_STREAM_ERROR']);
const NETWORK_NAMES = new Set(['AbortError', 'TimeoutError', 'TimeoutException', 'RequestTimeout', 'RequestTimeoutException']);

export function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { name?: unknown; code?: unknown; errno?: unknown; cause?: unknown; original?: unknown };
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || e.code.startsWith('UND_ERR_'))) return true;
    if (typeof e.name === 'string' && NETWORK_NAMES.has(e.name)) return true;
    current = e.original ?? e.cause;
  }
  return false;
}
