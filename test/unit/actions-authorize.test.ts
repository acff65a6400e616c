import { describe, expect, it } from 'vitest';
import { authorizeDisconnect, parseDisconnectValue } from '../../src/actions/authorize.ts';
import { ADMIN, CONNECTION, ENDPOINT, MEMBER, OTHER_ENDPOINT, disconnectValue } from '../support/slack-requests.ts';

const RULES = { adminUsers: [ADMIN, 'W0GRIDADMIN'], endpointIds: [ENDPOINT] };

describe('who may disconnect what', () => {
  // admin or not × configured endpoint or not × well-formed value or not
  const matrix = [
    { admin: true, configured: true, malformed: false, expected: 'allowed' },
    { admin: true, configured: false, malformed: false, expected: 'endpoint-not-configured' },
    { admin: true, configured: true, malformed: true, expected: 'malformed-value' },
    { admin: true, configured: false, malformed: true, expected: 'malformed-value' },
    { admin: false, configured: true, malformed: false, expected: 'not-admin' },
    { admin: false, configured: false, malformed: false, expected: 'not-admin' },
    { admin: false, configured: true, malformed: true, expected: 'not-admin' },
    { admin: false, configured: false, malformed: true, expected: 'not-admin' },
  ];
  it.each(matrix)('admin=$admin configured=$configured malformed=$malformed: $expected', ({ admin, configured, malformed, expected }) => {
    const endpoint = configured ? ENDPOINT : OTHER_ENDPOINT;
    // Malformed: the endpoint is there, the connection ID is not one.
    const value = malformed ? JSON.stringify({ endpointId: endpoint, connectionId: 'i-0123; rm -rf' }) : disconnectValue(endpoint, CONNECTION);
    const result = authorizeDisconnect(admin ? ADMIN : MEMBER, value, RULES);
    if (expected === 'allowed') {
      expect(result).toEqual({ allowed: true, target: { endpointId: ENDPOINT, connectionId: CONNECTION } });
    } else {
      expect(result).toMatchObject({ allowed: false, reason: expected });
    }
  });

  it('allows nobody when SLACK_ADMIN_USERS is empty, and nothing when CLIENT_VPN_ENDPOINT_IDS is', () => {
    expect(authorizeDisconnect(ADMIN, disconnectValue(), { adminUsers: [], endpointIds: [ENDPOINT] })).toMatchObject({ allowed: false, reason: 'not-admin' });
    expect(authorizeDisconnect(ADMIN, disconnectValue(), { adminUsers: [ADMIN], endpointIds: [] })).toMatchObject({ allowed: false, reason: 'endpoint-not-configured' });
  });

  it('does not take an empty or look-alike user ID for an admin', () => {
    for (const user of ['', ' U0ADMIN001', 'u0admin001', 'U0ADMIN0011']) {
      expect(authorizeDisconnect(user, disconnectValue(), RULES)).toMatchObject({ allowed: false, reason: 'not-admin' });
    }
  });

  it('keeps what a refused value named (cut short) for the audit line', () => {
    const result = authorizeDisconnect(MEMBER, disconnectValue(), RULES);
    expect(result).toEqual({ allowed: false, reason: 'not-admin', target: { endpointId: ENDPOINT, connectionId: CONNECTION } });
    const long = authorizeDisconnect(ADMIN, JSON.stringify({ endpointId: 'x'.repeat(500) }), RULES);
    expect(long).toEqual({ allowed: false, reason: 'malformed-value', target: { endpointId: 'x'.repeat(64), connectionId: undefined } });
  });
});

describe('the Disconnect button value', () => {
  it('reads {"endpointId","connectionId"} and ignores extra fields', () => {
    expect(parseDisconnectValue(disconnectValue())).toEqual({ endpointId: ENDPOINT, connectionId: CONNECTION });
    expect(parseDisconnectValue(JSON.stringify({ connectionId: CONNECTION, endpointId: ENDPOINT, note: 'x' }))).toEqual({ endpointId: ENDPOINT, connectionId: CONNECTION });
  });

  it.each([
    '',
    'disconnect',
    'null',
    '[]',
    '"cvpn-connection-0123"',
    `{"endpointId":"${ENDPOINT}"}`,
    `{"connectionId":"${CONNECTION}"}`,
    `{"endpointId":"${ENDPOINT}","connectionId":5}`,
    `{"endpointId":"${ENDPOINT.toUpperCase()}","connectionId":"${CONNECTION}"}`,
    `{"endpointId":"${ENDPOINT} ","connectionId":"${CONNECTION}"}`,
    `{"endpointId":"${ENDPOINT}","connectionId":"${CONNECTION}\\n"}`,
    `{"endpointId":"vpc-0abc","connectionId":"${CONNECTION}"}`,
    `{"endpointId":"${ENDPOINT}","connectionId":"${CONNECTION}&Action=DeleteVpc"}`,
    `{"__proto__":{"endpointId":"${ENDPOINT}","connectionId":"${CONNECTION}"}}`,
  ])('refuses %j', (value) => {
    expect(parseDisconnectValue(value)).toBeUndefined();
  });
});
