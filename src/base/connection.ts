/**
 * The Client VPN client-connect event (schema v2), parsed without ever throwing.
 * Any field may be missing, null or of another type.
 */
export interface Connection {
  readonly connectionId: string;
  readonly endpointId: string;
  readonly commonName: string;
  readonly username: string;
  readonly platform: string;
  readonly platformVersion: string;
  readonly publicIp: string;
  readonly clientOpenvpnVersion: string;
  readonly schemaVersion: string;
  readonly groups: readonly string[];
  /** The event as received, for templates that want a field we do not name. */
  readonly raw: unknown;
}

const FIELDS = {
  connectionId: 'connection-id',
  endpointId: 'endpoint-id',
  commonName: 'common-name',
  username: 'username',
  platform: 'platform',
  platformVersion: 'platform-version',
  publicIp: 'public-ip',
  clientOpenvpnVersion: 'client-openvpn-version',
  schemaVersion: 'schema-version',
} as const;

/** Strings as they are; numbers and booleans as text; anything else (objects, null) as "". */
export function stringLike(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

/** A list is kept, a string is split on commas; items trimmed, empty ones dropped. */
export function parseGroups(value: unknown): string[] {
  const items = Array.isArray(value) ? value.map(stringLike) : stringLike(value).split(',');
  return items.map((item) => item.trim()).filter((item) => item.length > 0);
}

function field(event: object, key: string): unknown {
  // Own properties only: a key like "__proto__" must not reach the prototype chain.
  return Object.prototype.hasOwnProperty.call(event, key) ? (event as Record<string, unknown>)[key] : undefined;
}

export function parseConnection(event: unknown): Connection {
  const source = event !== null && typeof event === 'object' && !Array.isArray(event) ? event : {};
  const pick = (key: string): string => stringLike(field(source, key));
  return Object.freeze({
    connectionId: pick(FIELDS.connectionId),
    endpointId: pick(FIELDS.endpointId),
    commonName: pick(FIELDS.commonName),
    username: pick(FIELDS.username),
    platform: pick(FIELDS.platform),
    platformVersion: pick(FIELDS.platformVersion),
    publicIp: pick(FIELDS.publicIp),
    clientOpenvpnVersion: pick(FIELDS.clientOpenvpnVersion),
    schemaVersion: pick(FIELDS.schemaVersion),
    groups: Object.freeze(parseGroups(field(source, 'groups'))),
    raw: event,
  });
}
