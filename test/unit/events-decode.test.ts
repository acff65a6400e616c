import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSubscriptionEvent } from '../../src/events/decode.ts';
import { CONTROL_MESSAGE, dataMessage, subscriptionEvent } from '../support/awslogs.ts';
import disconnect from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import failed from '../fixtures/connection-log/failed-handler-timed-out.json' with { type: 'json' };

const b64gzip = (text: string): { awslogs: { data: string } } => ({ awslogs: { data: gzipSync(Buffer.from(text)).toString('base64') } });

describe('decodeSubscriptionEvent', () => {
  it('returns the log group, stream and every entry of a DATA_MESSAGE, in order', () => {
    const at = Date.UTC(2026, 10, 29, 10, 13, 7);
    const decoded = decodeSubscriptionEvent(subscriptionEvent(dataMessage([disconnect, failed], at)));
    expect(decoded).toEqual({
      ok: true,
      logGroup: '/aws/clientvpn/connections',
      logStream: 'cvpn-endpoint-0abc-ap-northeast-1-2026/11/29-abcdEFGH',
      entries: [
        { id: '37195250000', timestamp: at, message: JSON.stringify(disconnect) },
        { id: '37195250001', timestamp: at + 1, message: JSON.stringify(failed) },
      ],
    });
  });

  it('says "control message" for a CONTROL_MESSAGE', () => {
    expect(decodeSubscriptionEvent(subscriptionEvent(CONTROL_MESSAGE))).toEqual({ ok: false, reason: 'control message' });
  });

  it.each([
    ['no awslogs', {}, /no awslogs\.data/],
    ['null', null, /no awslogs\.data/],
    ['a string', 'awslogs', /no awslogs\.data/],
    ['data not a string', { awslogs: { data: 42 } }, /no awslogs\.data/],
    ['inherited awslogs', Object.create({ awslogs: { data: 'x' } }), /no awslogs\.data/],
    ['not gzip', { awslogs: { data: Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64') } }, /not base64 of gzip/],
    ['not JSON', b64gzip('DATA_MESSAGE'), /does not hold JSON/],
    ['a JSON list', b64gzip('[1,2]'), /not hold a JSON object/],
    ['another messageType', subscriptionEvent({ messageType: 'OTHER', logEvents: [] }), /messageType is "OTHER", not DATA_MESSAGE/],
    ['no messageType', subscriptionEvent({ logEvents: [] }), /messageType is "", not DATA_MESSAGE/],
    ['logEvents not a list', subscriptionEvent({ messageType: 'DATA_MESSAGE', logEvents: {} }), /logEvents is not a list/],
  ])('refuses %s with a reason', (_what, event, reason) => {
    const decoded = decodeSubscriptionEvent(event);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it('refuses data that decompresses past the cap instead of filling memory', () => {
    const bomb = { awslogs: { data: gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20)).toString('base64') } };
    const decoded = decodeSubscriptionEvent(bomb);
    expect(decoded).toEqual({ ok: false, reason: `awslogs.data decompresses to more than ${32 * 1024 * 1024} bytes` });
  });

  it('keeps malformed logEvents items as text so classification reports them', () => {
    const decoded = decodeSubscriptionEvent(
      subscriptionEvent({ messageType: 'DATA_MESSAGE', logEvents: [null, 'text', { id: 7, timestamp: 'soon', message: { a: 1 } }] }),
    );
    expect(decoded).toMatchObject({
      ok: true,
      logGroup: '',
      logStream: '',
      entries: [
        { id: '', timestamp: null, message: 'null' },
        { id: '', timestamp: null, message: 'text' },
        { id: '7', timestamp: null, message: '{"a":1}' },
      ],
    });
  });

  it('quotes a hostile messageType on one short line', () => {
    const decoded = decodeSubscriptionEvent(subscriptionEvent({ messageType: `X\n${'y'.repeat(500)}`, logEvents: [] }));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.reason).not.toContain('\n');
      expect(decoded.reason.length).toBeLessThan(100);
    }
  });

  it('never throws, whatever bytes awslogs.data holds', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, gzipped) => {
        const data = (gzipped ? gzipSync(bytes) : Buffer.from(bytes)).toString('base64');
        const decoded = decodeSubscriptionEvent({ awslogs: { data } });
        expect(typeof decoded.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever JSON the data holds or the event is', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(typeof decodeSubscriptionEvent(subscriptionEvent(value)).ok).toBe('boolean');
        expect(typeof decodeSubscriptionEvent(value).ok).toBe('boolean');
        expect(typeof decodeSubscriptionEvent(subscriptionEvent({ messageType: 'DATA_MESSAGE', logEvents: [value] })).ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
