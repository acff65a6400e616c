import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyEntry, type ConnectionEventKind } from '../../src/events/classify.ts';
import { buildEventContext, type EventTemplateContext } from '../../src/events/context.ts';
import { readEntry, type ConnectionLogEntry } from '../../src/events/entry.ts';
import allNa from '../fixtures/connection-log/all-na.json' with { type: 'json' };
import withoutDuration from '../fixtures/connection-log/disconnect-without-duration.json' with { type: 'json' };
import disconnect from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import policyDeny from '../fixtures/connection-log/failed-authorization-policy.json' with { type: 'json' };
import handlerTimeout from '../fixtures/connection-log/failed-handler-timed-out.json' with { type: 'json' };

const LOGGED_AT = Date.UTC(2026, 10, 29, 10, 13, 7, 123);

function entryOf(raw: object): { kind: ConnectionEventKind; entry: ConnectionLogEntry } {
  const result = classifyEntry(JSON.stringify(raw));
  if (result.kind !== 'disconnect' && result.kind !== 'connect-failed') throw new Error(`fixture is ${result.kind}`);
  return result;
}

function contextOf(raw: object, zone = 'Asia/Tokyo', connect?: object): EventTemplateContext {
  const { kind, entry } = entryOf(raw);
  return buildEventContext(entry, kind, LOGGED_AT, zone, 'ap-northeast-1', connect);
}

describe('buildEventContext', () => {
  it('has every field of contract section 11 for a disconnect', () => {
    expect(contextOf(disconnect)).toEqual({
      kind: 'disconnect',
      connectionId: 'cvpn-connection-0abc',
      endpointId: 'cvpn-endpoint-0abc',
      commonName: 'alice.example.com',
      username: 'alice',
      clientIp: '10.0.0.130',
      deviceIp: '203.0.113.10',
      devicePort: '51234',
      deviceType: 'mac',
      transportProtocol: 'udp',
      startTime: '2026-11-29T08:00:01.000Z',
      endTime: '2026-11-29T10:13:06.000Z',
      localStartTime: '2026-11-29 17:00:01 Asia/Tokyo',
      localEndTime: '2026-11-29 19:13:06 Asia/Tokyo',
      durationSeconds: 7985,
      ingressBytes: 1234567,
      egressBytes: 7654321,
      duration: '2h 13m 05s',
      failureReason: '',
      handlerFault: false,
      region: 'ap-northeast-1',
      time: '2026-11-29T10:13:07.123Z',
      localTime: '2026-11-29 19:13:07 Asia/Tokyo',
      entry: disconnect,
    });
  });

  it('for a failed attempt: the reason, NA times as "", NA counters as null', () => {
    expect(contextOf(policyDeny, 'UTC')).toMatchObject({
      kind: 'connect-failed',
      failureReason: 'authorization-policy-deny',
      handlerFault: false,
      clientIp: '',
      startTime: '',
      localStartTime: '',
      endTime: '',
      localEndTime: '',
      durationSeconds: null,
      duration: '',
      ingressBytes: 0,
      egressBytes: 0,
      time: '2026-11-29T10:13:07.123Z',
      localTime: '2026-11-29 10:13:07 UTC',
    });
  });

  it.each([
    ['client-connect-handler-timed-out', true],
    ['client-connect-handler-other-execution-error', true],
    ['client-connect-handler-throttled', true],
    ['client-connect-handler-invalid-response', true],
    ['client-connect-handler-service-error', true],
    ['client-connect-failed', false],
    ['authorization-policy-deny', false],
    ['NA', false],
  ])('failure reason %s: handlerFault %s', (reason, fault) => {
    const context = contextOf({ ...handlerTimeout, 'connection-attempt-failure-reason': reason });
    expect(context.handlerFault).toBe(fault);
    expect(context.failureReason).toBe(reason === 'NA' ? '' : reason);
  });

  it('a disconnect has no failure reason and no handler fault, whatever the entry says', () => {
    const context = contextOf({ ...disconnect, 'connection-attempt-failure-reason': 'client-connect-handler-timed-out' });
    expect(context).toMatchObject({ kind: 'disconnect', failureReason: '', handlerFault: false });
  });

  it('works the duration out from start and end when the entry has no connection-duration-seconds', () => {
    expect(contextOf(withoutDuration)).toMatchObject({ durationSeconds: 3785, duration: '1h 03m 05s', ingressBytes: 5242880, egressBytes: 1536 });
  });

  it('has no duration when the end is before the start', () => {
    const context = contextOf({ ...withoutDuration, 'connection-start-time': '2020-03-26 22:00:00' });
    expect(context).toMatchObject({ durationSeconds: null, duration: '' });
  });

  it('NA in every field: strings "", numbers null, nothing thrown', () => {
    // Never a notification (classification ignores it), but its context must still build.
    const context = buildEventContext(readEntry(allNa), 'disconnect', LOGGED_AT, 'UTC', 'ap-northeast-1');
    for (const key of ['connectionId', 'endpointId', 'commonName', 'username', 'clientIp', 'deviceIp', 'devicePort', 'deviceType', 'transportProtocol', 'startTime', 'endTime', 'localStartTime', 'localEndTime', 'duration', 'failureReason'] as const) {
      expect(context[key], key).toBe('');
    }
    expect(context).toMatchObject({ durationSeconds: null, ingressBytes: null, egressBytes: null, handlerFault: false });
  });

  it('without a log timestamp, time and localTime are ""', () => {
    const { kind, entry } = entryOf(disconnect);
    expect(buildEventContext(entry, kind, null, 'UTC', 'r')).toMatchObject({ time: '', localTime: '' });
    expect(buildEventContext(entry, kind, 1e20, 'UTC', 'r')).toMatchObject({ time: '', localTime: '' });
  });

  it('carries the connect context when given, and only then', () => {
    const connect = { platform: 'win', groups: ['admins'] };
    expect(contextOf(disconnect, 'UTC', connect).connect).toBe(connect);
    expect('connect' in contextOf(disconnect)).toBe(false);
  });

  it('cleans event-derived strings like the connect context: one line, no controls or bidi overrides', () => {
    const hostile = '<!channel>\u202egnp.exe\u0000\r\nInjected: `yes`';
    const context = contextOf({
      ...handlerTimeout,
      username: hostile,
      'common-name': hostile,
      'connection-id': hostile,
      'device-ip': hostile,
      'device-type': hostile,
      port: hostile,
      'connection-attempt-failure-reason': `client-connect-handler-${hostile}`,
    });
    for (const key of ['username', 'commonName', 'connectionId', 'deviceIp', 'deviceType', 'devicePort'] as const) {
      expect(context[key], key).toBe('<!channel>gnp.exe Injected: `yes`');
    }
    expect(context.failureReason).toBe('client-connect-handler-<!channel>gnp.exe Injected: `yes`');
    expect(context.handlerFault).toBe(true);
  });

  it('never throws, whatever the documented fields hold', () => {
    const keys = Object.keys(disconnect);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.jsonValue()), fc.constantFrom<ConnectionEventKind>('disconnect', 'connect-failed'), (overrides, kind) => {
        const result = classifyEntry(JSON.stringify({ ...disconnect, ...overrides }));
        if (result.kind !== 'disconnect' && result.kind !== 'connect-failed') return;
        const context = buildEventContext(result.entry, kind, LOGGED_AT, 'Asia/Tokyo', 'r');
        for (const value of [context.durationSeconds, context.ingressBytes, context.egressBytes]) {
          expect(value === null || (Number.isSafeInteger(value) && value >= 0)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
