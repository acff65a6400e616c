import type { ChannelResult } from './channel.ts';
import { isNetworkError } from './network-errors.ts';

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/**
 * Classifies an AWS SDK error as a channel result: throttling, 5xx and network trouble are
 * retryable; other 4xx (missing topic, no permission, bad parameter) are permanent, and so is
 * an error with no HTTP answer that is not the network's (the request could not be built).
 */
export function classifyAwsError(error: unknown, signal: AbortSignal): ChannelResult {
  const e = (error ?? {}) as AwsLikeError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const reason = `${name}${status ? ` (HTTP ${status})` : ''}: ${(e.message ?? String(error)).slice(0, 200)}`;
  if (signal.aborted || name === 'AbortError' || name === 'TimeoutError') return { status: 'timedOut', reason };
  if (THROTTLING.has(name) || status === 429) return { status: 'failed', retryable: true, reason };
  if (typeof status === 'number' && status >= 500) return { status: 'failed', retryable: true, reason };
  if (typeof status === 'number' && status >= 400) return { status: 'failed', retryable: false, reason };
  if (isNetworkError(error)) return { status: 'failed', retryable: true, reason };
  if (e.$retryable) return { status: 'failed', retryable: true, reason };
  return { status: 'failed', retryable: false, reason };
}
