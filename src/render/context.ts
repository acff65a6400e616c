import type { Connection } from '../base/connection.ts';
import { formatLocalTime } from '../base/time.ts';
import { singleLine } from '../base/text.ts';

/** What every connect template can use (contract section 7): the connection's fields, plus these. */
export interface TemplateContext extends Omit<Connection, 'raw'> {
  /** ISO-8601 UTC instant of the connection. */
  readonly time: string;
  /** The same instant as `YYYY-MM-DD HH:mm:ss Zone` in the configured zone. */
  readonly localTime: string;
  readonly region: string;
  /** The raw event, for fields this context does not name. */
  readonly event: unknown;
  readonly kind: 'connect';
  /** `connected`; a disconnect re-renders the parent message with `disconnected` (section 12). */
  readonly status: 'connected' | 'disconnected';
  /** The deciding route's Slack mention (section 13), or "". */
  readonly mention: string;
  /** Whether messages carry the Disconnect button (SLACK_ACTIONS, section 15). */
  readonly actionsEnabled: boolean;
}

export function buildContext(connection: Connection, instant: Date, timeZone: string, region: string, actionsEnabled = false): TemplateContext {
  return {
    connectionId: singleLine(connection.connectionId),
    endpointId: singleLine(connection.endpointId),
    commonName: singleLine(connection.commonName),
    username: singleLine(connection.username),
    platform: singleLine(connection.platform),
    platformVersion: singleLine(connection.platformVersion),
    publicIp: singleLine(connection.publicIp),
    clientOpenvpnVersion: singleLine(connection.clientOpenvpnVersion),
    schemaVersion: singleLine(connection.schemaVersion),
    groups: connection.groups.map(singleLine).filter((group) => group.length > 0),
    time: instant.toISOString(),
    localTime: formatLocalTime(instant, timeZone),
    region,
    event: connection.raw,
    kind: 'connect',
    status: 'connected',
    mention: '',
    actionsEnabled,
  };
}
