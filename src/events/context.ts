/**
 * The template context of a disconnect or a failed attempt (contract section 11). Times become
 * ISO-8601 UTC and local times, counters numbers (null when `NA`), and every string from the
 * entry is cleaned as the connect context's are: client software and certificates supply them.
 */
import { HANDLER_FAULT_REASON_PREFIX } from '../base/contract.ts';
import { singleLine } from '../base/text.ts';
import { formatLocalTime } from '../base/time.ts';
import { formatDuration, toCount } from '../base/units.ts';
import type { ConnectionEventKind } from './classify.ts';
import type { ConnectionLogEntry } from './entry.ts';
import { parseLogTime } from './log-time.ts';

export interface EventTemplateContext {
  readonly kind: ConnectionEventKind;
  readonly connectionId: string;
  readonly endpointId: string;
  readonly commonName: string;
  readonly username: string;
  readonly clientIp: string;
  readonly deviceIp: string;
  readonly devicePort: string;
  readonly deviceType: string;
  readonly transportProtocol: string;
  /** ISO-8601 UTC; "" when the entry has none (`NA`). */
  readonly startTime: string;
  readonly endTime: string;
  /** `YYYY-MM-DD HH:mm:ss Zone` in `TIME_ZONE`; "" when the entry has none. */
  readonly localStartTime: string;
  readonly localEndTime: string;
  /** `connection-duration-seconds`, else end minus start; null when neither is known. */
  readonly durationSeconds: number | null;
  readonly ingressBytes: number | null;
  readonly egressBytes: number | null;
  /** `durationSeconds` as `2h 13m 05s`; "" when unknown. */
  readonly duration: string;
  /** `connection-attempt-failure-reason` of a failed attempt; "" for a disconnect. */
  readonly failureReason: string;
  /** The failure reason says Client VPN denied the connection because the connect handler failed. */
  readonly handlerFault: boolean;
  readonly region: string;
  /** The log event's timestamp, ISO-8601 UTC and in `TIME_ZONE`; "" when the event had none. */
  readonly time: string;
  readonly localTime: string;
  /** The entry as logged, for fields this context does not name (`{{entry.[posture-compliance-statuses]}}`). */
  readonly entry: unknown;
  /** The context the connect notification was rendered with (section 12), when it is known. */
  readonly connect?: object;
}

function count(text: string): number | null {
  const value = toCount(text);
  return value === undefined || !Number.isInteger(value) ? null : value;
}

function instantOf(ms: number | null): Date | undefined {
  if (ms === null || !Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `timeZone` is a valid IANA zone (the configuration checks it before any render). */
export function buildEventContext(
  entry: ConnectionLogEntry,
  kind: ConnectionEventKind,
  logTimestampMs: number | null,
  timeZone: string,
  region: string,
  connect?: object,
): EventTemplateContext {
  const start = parseLogTime(entry.startTime);
  const end = parseLogTime(entry.endTime);
  const at = instantOf(logTimestampMs);
  const logged = count(entry.durationSeconds);
  const measured = start && end && end >= start ? Math.floor((end.getTime() - start.getTime()) / 1000) : null;
  const durationSeconds = logged ?? measured;
  const failureReason = kind === 'connect-failed' ? singleLine(entry.failureReason).trim() : '';
  const context: EventTemplateContext = {
    kind,
    connectionId: singleLine(entry.connectionId),
    endpointId: singleLine(entry.endpointId),
    commonName: singleLine(entry.commonName),
    username: singleLine(entry.username),
    clientIp: singleLine(entry.clientIp),
    deviceIp: singleLine(entry.deviceIp),
    devicePort: singleLine(entry.port),
    deviceType: singleLine(entry.deviceType),
    transportProtocol: singleLine(entry.transportProtocol),
    startTime: start?.toISOString() ?? '',
    endTime: end?.toISOString() ?? '',
    localStartTime: start ? formatLocalTime(start, timeZone) : '',
    localEndTime: end ? formatLocalTime(end, timeZone) : '',
    durationSeconds,
    ingressBytes: count(entry.ingressBytes),
    egressBytes: count(entry.egressBytes),
    duration: durationSeconds === null ? '' : formatDuration(durationSeconds),
    failureReason,
    handlerFault: failureReason.startsWith(HANDLER_FAULT_REASON_PREFIX),
    region,
    time: at?.toISOString() ?? '',
    localTime: at ? formatLocalTime(at, timeZone) : '',
    entry: entry.raw,
  };
  return connect === undefined ? context : { ...context, connect };
}
