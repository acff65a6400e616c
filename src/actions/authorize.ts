import { CONNECTION_ID_PATTERN, ENDPOINT_ID_PATTERN } from './config.ts';

/**
 * Who may disconnect what (contract section 15): a user in SLACK_ADMIN_USERS, a session on an
 * endpoint in CLIENT_VPN_ENDPOINT_IDS, named by a well-formed button value. Pure, so the whole
 * matrix is tested without Slack or EC2.
 */
export interface DisconnectTarget {
  readonly endpointId: string;
  readonly connectionId: string;
}

export type RefusalReason = 'not-admin' | 'malformed-value' | 'endpoint-not-configured';

export type Authorization =
  | { readonly allowed: true; readonly target: DisconnectTarget }
  | { readonly allowed: false; readonly reason: RefusalReason; readonly target?: Partial<DisconnectTarget> };

export interface AuthorizationRules {
  readonly adminUsers: readonly string[];
  readonly endpointIds: readonly string[];
}

/** `{"endpointId":"cvpn-endpoint-…","connectionId":"cvpn-connection-…"}`, or undefined. */
export function parseDisconnectValue(value: string): DisconnectTarget | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { endpointId, connectionId } = parsed as Record<string, unknown>;
  if (typeof endpointId !== 'string' || !ENDPOINT_ID_PATTERN.test(endpointId)) return undefined;
  if (typeof connectionId !== 'string' || !CONNECTION_ID_PATTERN.test(connectionId)) return undefined;
  return { endpointId, connectionId };
}

/** For the audit line of a refusal: what the value named, when it named anything readable. */
function partialTarget(value: string): Partial<DisconnectTarget> | undefined {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const { endpointId, connectionId } = parsed as Record<string, unknown>;
    const clip = (field: unknown) => (typeof field === 'string' ? field.slice(0, 64) : undefined);
    return { endpointId: clip(endpointId), connectionId: clip(connectionId) };
  } catch {
    return undefined;
  }
}

export function authorizeDisconnect(userId: string, value: string, rules: AuthorizationRules): Authorization {
  // The user is checked first: someone who may not disconnect learns nothing about the value.
  if (!rules.adminUsers.includes(userId)) return { allowed: false, reason: 'not-admin', target: partialTarget(value) };
  const target = parseDisconnectValue(value);
  if (!target) return { allowed: false, reason: 'malformed-value', target: partialTarget(value) };
  if (!rules.endpointIds.includes(target.endpointId)) return { allowed: false, reason: 'endpoint-not-configured', target };
  return { allowed: true, target };
}
