import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyEntry, excerptOf } from '../../src/events/classify.ts';
import { parseLogTime } from '../../src/events/log-time.ts';
import allNa from '../fixtures/connection-log/all-na.json' with { type: 'json' };
import successful from '../fixtures/connection-log/attempt-successful.json' with { type: 'json' };
import reevaluation from '../fixtures/connection-log/disconnect-policy-reevaluation.json' with { type: 'json' };
import withoutDuration from '../fixtures/connection-log/disconnect-without-duration.json' with { type: 'json' };
import disconnect from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import policyDeny from '../fixtures/connection-log/failed-authorization-policy.json' with { type: 'json' };
import handlerTimeout from '../fixtures/connection-log/failed-handler-timed-out.json' with { type: 'json' };
import periodic from '../fixtures/connection-log/periodic-update.json' with { type: 'json' };
import assertionReceived from '../fixtures/connection-log/saml-assertion-received.json' with { type: 'json' };
import waiting from '../fixtures/connection-log/saml-waiting-for-assertion.json' with { type: 'json' };

const classify = (entry: unknown) => classifyEntry(typeof entry === 'string' ? entry : JSON.stringify(entry));

describe('classifyEntry over the documented entry shapes', () => {
  it.each([
    ['a disconnect (contract example)', disconnect, 'disconnect'],
    ['a session ended by a periodic policy re-evaluation', reevaluation, 'disconnect'],
    ['a disconnect without connection-duration-seconds', withoutDuration, 'disconnect'],
    ['an attempt denied by the authorization policy', policyDeny, 'connect-failed'],
    ['an attempt denied because the handler timed out', handlerTimeout, 'connect-failed'],
  ])('%s is a %s', (_what, entry, kind) => {
    expect(classify(entry).kind).toBe(kind);
  });

  it.each([
    ['a successful attempt (the connect handler already spoke)', successful, /successful connection attempt/],
    ['a SAML attempt waiting for the assertion', waiting, /waiting for the SAML assertion/],
    ['a SAML assertion received', assertionReceived, /SAML assertion received/],
    ['a periodic update of an open connection', periodic, /update of an open connection/],
    ['NA in every field', allNa, /neither a disconnect nor a failed attempt/],
  ])('%s is ignored, with a reason', (_what, entry, reason) => {
    const result = classify(entry);
    expect(result.kind).toBe('ignored');
    if (result.kind === 'ignored') expect(result.reason).toMatch(reason);
  });

  it('reads the entry fields, NA as ""', () => {
    const result = classify(handlerTimeout);
    expect(result.kind).toBe('connect-failed');
    if (result.kind !== 'connect-failed') return;
    expect(result.entry).toMatchObject({
      logType: 'connection-attempt',
      attemptStatus: 'failed',
      resetStatus: '',
      failureReason: 'client-connect-handler-timed-out',
      connectionId: 'cvpn-connection-0f00dfeed0000beef',
      endpointId: 'cvpn-endpoint-0abc',
      startTime: '',
      endTime: '',
      clientIp: '',
      commonName: 'bob.example.com',
      username: 'bob',
      deviceType: 'windows',
      deviceIp: '198.51.100.23',
      port: '61000',
      durationSeconds: '',
    });
    expect(result.entry.raw).toEqual(handlerTimeout);
  });

  it('a disconnect wins over a failed status, as the contract table orders them', () => {
    expect(classify({ ...policyDeny, 'connection-end-time': '2026-09-25 17:14:12' }).kind).toBe('disconnect');
  });

  it('treats an empty or NA end time as no end time', () => {
    expect(classify({ ...disconnect, 'connection-end-time': '' }).kind).toBe('ignored');
    expect(classify({ ...disconnect, 'connection-end-time': ' NA ' }).kind).toBe('ignored');
    expect(classify({ ...disconnect, 'connection-end-time': null }).kind).toBe('ignored');
  });

  it('reads the status case-insensitively, as a value the service might one day capitalise', () => {
    expect(classify({ ...policyDeny, 'connection-attempt-status': 'FAILED' }).kind).toBe('connect-failed');
  });
});

describe('classifyEntry on garbage', () => {
  it.each([
    ['not JSON', 'connection-log-type: connection-reset', 'not JSON'],
    ['cut short', JSON.stringify(disconnect).slice(0, 80), 'not JSON'],
    ['a JSON list', '[1, 2, 3]', 'not a JSON object'],
    ['JSON null', 'null', 'not a JSON object'],
    ['a JSON string', '"connection-reset"', 'not a JSON object'],
    ['an object of another log', '{"level":"INFO","message":"hello"}', 'not a connection log entry (no connection-log-type)'],
    ['an end time that is not a time', JSON.stringify({ ...disconnect, 'connection-end-time': 'yesterday' }), 'connection-end-time is not a time'],
    ['an end time on a day that does not exist', JSON.stringify({ ...disconnect, 'connection-end-time': '2026-02-30 10:00:00' }), 'connection-end-time is not a time'],
  ])('%s is unparseable', (_what, message, reason) => {
    expect(classifyEntry(message)).toEqual({ kind: 'unparseable', reason, excerpt: message.slice(0, 500) });
  });

  it('keeps only the first 500 characters of an unparseable message, whole characters only', () => {
    const message = `${'あ'.repeat(499)}🐱${'x'.repeat(5000)}`;
    const result = classifyEntry(message);
    expect(result.kind).toBe('unparseable');
    if (result.kind === 'unparseable') {
      expect(Array.from(result.excerpt)).toHaveLength(500);
      expect(result.excerpt.endsWith('🐱')).toBe(true);
    }
    expect(excerptOf('short')).toBe('short');
  });

  it('does not let a __proto__ key reach the prototype chain', () => {
    const result = classifyEntry('{"__proto__": {"connection-log-type": "connection-reset", "connection-end-time": "2026-11-29 10:13:06"}}');
    expect(result.kind).toBe('unparseable');
  });

  it('reads a value that is not a string as no value', () => {
    const result = classify({ ...disconnect, username: { first: 'alice' }, 'ingress-bytes': 1234567 });
    expect(result.kind).toBe('disconnect');
    if (result.kind === 'disconnect') {
      expect(result.entry.username).toBe('');
      expect(result.entry.ingressBytes).toBe('1234567');
    }
  });

  it('never throws on any JSON value as an entry, nor on any string', () => {
    const kinds = ['disconnect', 'connect-failed', 'ignored', 'unparseable'];
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), fc.string({ unit: 'binary' })), (message) => {
        expect(kinds).toContain(classifyEntry(message).kind);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on an entry whose documented fields hold any JSON value', () => {
    const keys = Object.keys(disconnect);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()), (overrides) => {
        const result = classify({ ...disconnect, ...overrides });
        expect(['disconnect', 'connect-failed', 'ignored', 'unparseable']).toContain(result.kind);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseLogTime', () => {
  it.each([
    ['2026-11-29 10:13:06', '2026-11-29T10:13:06.000Z'],
    ['2026-11-29T10:13:06Z', '2026-11-29T10:13:06.000Z'],
    ['2026-11-29T10:13:06.250Z', '2026-11-29T10:13:06.250Z'],
    [' 2024-02-29 23:59:59 ', '2024-02-29T23:59:59.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseLogTime(text)?.toISOString()).toBe(iso);
  });
  it.each(['NA', '', '2026-11-29', '2025-02-29 00:00:00', '2026-11-29 24:00:00', '2026-13-01 00:00:00', '29/11/2026 10:13:06', '2026-11-29 10:13:06+09:00'])(
    '%j is no time',
    (text) => {
      expect(parseLogTime(text)).toBeUndefined();
    },
  );
});
