/**
 * The CloudWatch Logs subscription event (contract section 11): `{"awslogs": {"data": "<base64
 * of gzipped JSON>"}}`. Decoding never throws: whatever arrives, the answer says what it held
 * or why it holds nothing to notify, so one bad delivery cannot fail a batch.
 */
import { gunzipSync } from 'node:zlib';
import { stringLike } from '../base/connection.ts';
import { singleLine, truncateCodePoints } from '../base/text.ts';

/** One `logEvents` item: `message` is one connection log entry, as text. */
export interface LogEntry {
  readonly id: string;
  /** Epoch milliseconds of the log event; null when the event carried none. */
  readonly timestamp: number | null;
  readonly message: string;
}

export type DecodedSubscriptionEvent =
  | { readonly ok: true; readonly logGroup: string; readonly logStream: string; readonly entries: readonly LogEntry[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A delivery is at most about 1 MB of gzip; real batches decompress to a few MB. The cap stops
 * a compression bomb from taking the function's memory.
 */
const MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function toEntry(item: unknown): LogEntry {
  // A malformed item is kept with its text as the message, so classification reports it
  // (with an excerpt) rather than it vanishing here.
  if (!isObject(item)) return { id: '', timestamp: null, message: asText(item) };
  const timestamp = own(item, 'timestamp');
  return {
    id: stringLike(own(item, 'id')),
    timestamp: typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : null,
    message: asText(own(item, 'message')),
  };
}

function fail(reason: string): DecodedSubscriptionEvent {
  return { ok: false, reason };
}

export function decodeSubscriptionEvent(event: unknown): DecodedSubscriptionEvent {
  const data = own(own(event, 'awslogs'), 'data');
  if (typeof data !== 'string') return fail('not a CloudWatch Logs subscription event (no awslogs.data string)');

  let text: string;
  try {
    text = gunzipSync(Buffer.from(data, 'base64'), { maxOutputLength: MAX_DECOMPRESSED_BYTES }).toString('utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return fail(code === 'ERR_BUFFER_TOO_LARGE' ? `awslogs.data decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes` : 'awslogs.data is not base64 of gzip data');
  }

  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return fail('awslogs.data does not hold JSON');
  }
  if (!isObject(payload)) return fail('awslogs.data does not hold a JSON object');

  const messageType = own(payload, 'messageType');
  if (messageType === 'CONTROL_MESSAGE') return fail('control message');
  if (messageType !== 'DATA_MESSAGE') return fail(`messageType is ${JSON.stringify(truncateCodePoints(singleLine(stringLike(messageType)), 40))}, not DATA_MESSAGE`);

  const logEvents = own(payload, 'logEvents');
  if (!Array.isArray(logEvents)) return fail('logEvents is not a list');
  return {
    ok: true,
    logGroup: stringLike(own(payload, 'logGroup')),
    logStream: stringLike(own(payload, 'logStream')),
    entries: logEvents.map(toEntry),
  };
}
