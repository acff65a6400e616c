/**
 * Which connection log entries are notifications (contract section 11): a disconnect when
 * `connection-end-time` holds a time, a failed attempt when `connection-attempt-status` is
 * `failed`, everything else ignored. Never throws: an entry that cannot be read comes back as
 * `unparseable` with an excerpt for the log line, and is skipped, never a failed batch.
 */
import { UNPARSEABLE_EXCERPT_CHARS, type EventKind } from '../base/contract.ts';
import { LOG_TYPE_KEY, readEntry, type ConnectionLogEntry } from './entry.ts';
import { parseLogTime } from './log-time.ts';

/** The kinds a connection log entry can notify; `connect` comes from the connect handler. */
export type ConnectionEventKind = Exclude<EventKind, 'connect'>;

export type ClassifiedEntry =
  | { readonly kind: ConnectionEventKind; readonly entry: ConnectionLogEntry }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'unparseable'; readonly reason: string; readonly excerpt: string };

/** The first characters of a message, counted in code points so no character is split. */
export function excerptOf(message: string): string {
  // Slicing UTF-16 units first keeps this cheap for a huge message.
  return Array.from(message.slice(0, UNPARSEABLE_EXCERPT_CHARS * 2))
    .slice(0, UNPARSEABLE_EXCERPT_CHARS)
    .join('');
}

function unparseable(reason: string, message: string): ClassifiedEntry {
  return { kind: 'unparseable', reason, excerpt: excerptOf(message) };
}

function whyIgnored(entry: ConnectionLogEntry): string {
  const status = entry.attemptStatus.trim().toLowerCase();
  if (status === 'successful') return 'successful connection attempt (the connect handler already notified it)';
  if (status === 'waiting-for-assertion') return 'connection attempt waiting for the SAML assertion';
  if (entry.resetStatus.trim().toLowerCase() === 'assertion-received') return 'SAML assertion received';
  if (entry.logType.trim().toLowerCase() === 'connection-reset') return 'update of an open connection (no end time)';
  return 'neither a disconnect nor a failed attempt';
}

export function classifyEntry(message: string): ClassifiedEntry {
  // Typed as a string, but the batch path must survive a caller that passes anything.
  if (typeof message !== 'string') return unparseable('the message is not text', '');
  const text = message;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return unparseable('not JSON', text);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return unparseable('not a JSON object', text);
  const raw = parsed as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(raw, LOG_TYPE_KEY)) return unparseable(`not a connection log entry (no ${LOG_TYPE_KEY})`, text);

  const entry = readEntry(raw);
  if (parseLogTime(entry.endTime)) return { kind: 'disconnect', entry };
  if (entry.attemptStatus.trim().toLowerCase() === 'failed') return { kind: 'connect-failed', entry };
  // An end time that is there but unreadable may be a disconnect we cannot place: say so in the log.
  if (entry.endTime.trim() !== '') return unparseable('connection-end-time is not a time', text);
  return { kind: 'ignored', reason: whyIgnored(entry) };
}
