/**
 * One Client VPN connection log entry (contract section 11), read without ever throwing.
 * The service writes a JSON object of strings with `"NA"` where a field does not apply; here
 * `NA`, a missing field and a value that is not string-like all read as "".
 */
import { stringLike } from '../base/connection.ts';

export interface ConnectionLogEntry {
  /** `connection-attempt` or `connection-reset`. */
  readonly logType: string;
  /** `successful`, `failed`, `waiting-for-assertion`, or "". */
  readonly attemptStatus: string;
  /** `assertion-received`, or "". */
  readonly resetStatus: string;
  readonly failureReason: string;
  readonly connectionId: string;
  readonly endpointId: string;
  readonly transportProtocol: string;
  /** Times as the log writes them: UTC `YYYY-MM-DD HH:MM:SS`, or "". */
  readonly startTime: string;
  readonly lastUpdateTime: string;
  readonly endTime: string;
  readonly clientIp: string;
  readonly commonName: string;
  readonly username: string;
  readonly deviceType: string;
  readonly deviceIp: string;
  readonly port: string;
  /** Counters as the log writes them: decimal strings, or "". */
  readonly ingressBytes: string;
  readonly egressBytes: string;
  readonly durationSeconds: string;
  /** The entry as logged, for fields this type does not name. */
  readonly raw: Readonly<Record<string, unknown>>;
}

const FIELDS = {
  logType: 'connection-log-type',
  attemptStatus: 'connection-attempt-status',
  resetStatus: 'connection-reset-status',
  failureReason: 'connection-attempt-failure-reason',
  connectionId: 'connection-id',
  endpointId: 'client-vpn-endpoint-id',
  transportProtocol: 'transport-protocol',
  startTime: 'connection-start-time',
  lastUpdateTime: 'connection-last-update-time',
  endTime: 'connection-end-time',
  clientIp: 'client-ip',
  commonName: 'common-name',
  username: 'username',
  deviceType: 'device-type',
  deviceIp: 'device-ip',
  port: 'port',
  ingressBytes: 'ingress-bytes',
  egressBytes: 'egress-bytes',
  durationSeconds: 'connection-duration-seconds',
} as const satisfies Record<Exclude<keyof ConnectionLogEntry, 'raw'>, string>;

/** The key every connection log entry carries; an object without it is some other log line. */
export const LOG_TYPE_KEY = FIELDS.logType;

/** A field's value: "" for `NA`, a missing key, or a value that is not string-like. */
function read(entry: Readonly<Record<string, unknown>>, key: string): string {
  // Own properties only: a key like "__proto__" must not reach the prototype chain.
  const value = Object.prototype.hasOwnProperty.call(entry, key) ? stringLike(entry[key]) : '';
  return value.trim() === 'NA' ? '' : value;
}

export function readEntry(raw: Readonly<Record<string, unknown>>): ConnectionLogEntry {
  const fields = Object.fromEntries(Object.entries(FIELDS).map(([name, key]) => [name, read(raw, key)])) as Record<keyof typeof FIELDS, string>;
  return Object.freeze({ ...fields, raw });
}
