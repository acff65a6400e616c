import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConnection } from '../../src/base/connection.ts';
import { plainText, singleLine, truncateUtf16 } from '../../src/base/text.ts';
import { classifyAwsError } from '../../src/channels/aws-errors.ts';
import { publishInput } from '../../src/channels/email.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { buildContext } from '../../src/render/context.ts';
import { renderNotification } from '../../src/render/render.ts';

beforeAll(async () => {
  await loadTemplateEngine();
});

const AT = new Date('2026-11-29T08:00:00Z');
const render = (event: Record<string, unknown>) => renderNotification({}, buildContext(parseConnection(event), AT, 'UTC', 'us-east-1'), 'UTC');
const FIELDS = ['username', 'common-name', 'platform', 'platform-version', 'client-openvpn-version', 'public-ip', 'endpoint-id', 'connection-id'] as const;

describe('issue 10 item 1: text that reaches a channel is well-formed', () => {
  it('a lone surrogate becomes U+FFFD, so the SNS query serializer can encode the subject and body', () => {
    const out = render({ username: 'a\uD800b', 'common-name': '\uDC00' });
    for (const text of [out.slack.text, out['email-subject'].text, out['email-body'].text]) {
      expect(text.isWellFormed()).toBe(true);
      expect(() => encodeURIComponent(text)).not.toThrow();
    }
    expect(out['email-subject'].text).toContain('a\uFFFDb');
    const input = publishInput({ topicArn: 't', subject: out['email-subject'].text, message: out['email-body'].text, endpointId: '' });
    expect(() => encodeURIComponent(input.Subject + input.Message)).not.toThrow();
  });

  it('an error with no HTTP answer that is not the network is permanent (it would fail the same way on every retry)', () => {
    const signal = new AbortController().signal;
    expect(classifyAwsError(new URIError('URI malformed'), signal)).toMatchObject({ status: 'failed', retryable: false });
    expect(classifyAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), signal)).toMatchObject({ retryable: true });
    expect(classifyAwsError(Object.assign(new Error('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }), signal)).toMatchObject({ retryable: true });
  });
});

describe('issue 10 item 6: text that cannot fake or break a message', () => {
  it.each([
    ['line separator', '\u2028'],
    ['paragraph separator', '\u2029'],
    ['soft hyphen', '\u00ad'],
    ['Hangul choseong filler', '\u115f'],
    ['Hangul jungseong filler', '\u1160'],
    ['Hangul filler', '\u3164'],
    ['halfwidth Hangul filler', '\uffa0'],
    ['tag letter', '\u{e0041}'],
    ['cancel tag', '\u{e007f}'],
    ['noncharacter', '\ufdd0'],
    ['noncharacter FFFE', '\ufffe'],
    ['plane-16 noncharacter', '\u{10ffff}'],
  ])('removes the %s from event text', (_name, char) => {
    expect(singleLine(`al${char}ice`)).not.toContain(char);
    expect(plainText(`al${char}ice`).replace(/\n/g, '')).toBe('alice');
  });

  it('a backtick, asterisk or tilde in an event field cannot close the default templates\' code spans or bold', () => {
    const benign = render({ username: 'x', 'common-name': 'x', 'public-ip': 'x', 'endpoint-id': 'x', platform: 'x' }).slack.text;
    const count = (text: string, char: string) => text.split(char).length - 1;
    fc.assert(
      fc.property(fc.record(Object.fromEntries(FIELDS.map((field) => [field, fc.string({ unit: fc.constantFrom('`', '*', '~', 'a', ' ', '_') , maxLength: 12 }).map((s) => `x${s}`)]))), (event) => {
        const text = render(event).slack.text;
        for (const char of ['`', '*', '~']) expect(count(text, char)).toBe(count(benign, char));
      }),
      { numRuns: 200 },
    );
  });

  it('for any text in any field, the default Slack text pings nobody and holds no faking character', () => {
    fc.assert(
      fc.property(fc.record(Object.fromEntries(FIELDS.map((field) => [field, fc.string({ unit: 'binary', maxLength: 40 })]))), (event) => {
        const out = render(event);
        expect(out.slack.text).not.toMatch(/<[!@#]/);
        expect(out.slack.text.isWellFormed()).toBe(true);
        expect(out.slack.text).not.toMatch(/[\u2028\u2029\u00ad\u3164]/);
        expect(out['email-subject'].text.length).toBeLessThanOrEqual(99);
      }),
      { numRuns: 200 },
    );
  });

  it('a username of 40 emoji still gives a subject SNS accepts: under 100 UTF-16 units, no broken pair', () => {
    const subject = render({ username: '😀'.repeat(40), 'public-ip': '203.0.113.10' })['email-subject'].text;
    expect(subject.length).toBeLessThanOrEqual(99);
    expect(subject.isWellFormed()).toBe(true);
    expect(subject).toContain('😀');
  });

  it('truncateUtf16 never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 1, max: 60 }), (text, max) => {
        const cut = truncateUtf16(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
      }),
    );
  });
});
