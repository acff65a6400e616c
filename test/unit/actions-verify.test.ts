import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRequest } from '../../src/actions/http.ts';
import { verifySlackRequest } from '../../src/actions/verify.ts';
import { SIGNING_SECRET, signedEvent, slashCommandBody } from '../support/slack-requests.ts';

const NOW_S = 1_700_000_000;
const NOW_MS = NOW_S * 1000 + 400;
const BODY = slashCommandBody();

const verify = (event: unknown, secret = SIGNING_SECRET, nowMs = NOW_MS) => verifySlackRequest(readRequest(event), secret, nowMs);

describe('Slack request verification', () => {
  it("matches Slack's own worked example (docs: Verifying requests from Slack)", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands' +
      '%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const event = {
      headers: {
        'x-slack-request-timestamp': '1531420618',
        'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      },
      body,
      isBase64Encoded: false,
    };
    expect(verify(event, '8f742231b10e8888abcd99yyyzzz85a5', 1531420618_000)).toEqual({ ok: true });
  });

  it('accepts a correctly signed request', () => {
    expect(verify(signedEvent(BODY, { timestamp: NOW_S }))).toEqual({ ok: true });
  });

  it('refuses a request signed with another secret', () => {
    expect(verify(signedEvent(BODY, { timestamp: NOW_S, secret: 'aaaabbbbccccddddeeeeffff00001111' }))).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('refuses a tampered body: any change to any byte', () => {
    const event = signedEvent(BODY, { timestamp: NOW_S });
    expect(verify({ ...event, body: BODY.replace('text=who', 'text=wha') })).toMatchObject({ ok: false, reason: 'signature does not match' });
    fc.assert(
      fc.property(fc.nat(BODY.length - 1), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const bytes = Buffer.from(BODY, 'utf8');
        bytes[index] = (bytes[index]! + delta) % 256;
        return verify({ ...event, body: bytes.toString('base64'), isBase64Encoded: true }).ok === false;
      }),
    );
  });

  it('accepts a timestamp 300 s old and refuses a replay 301 s old', () => {
    expect(verify(signedEvent(BODY, { timestamp: NOW_S - 300 }))).toEqual({ ok: true });
    const replay = verify(signedEvent(BODY, { timestamp: NOW_S - 301 }));
    expect(replay).toEqual({ ok: false, reason: 'request timestamp is 301 s old (at most 300 s): a replay or a skewed clock' });
  });

  it('refuses a request dated more than 300 s in the future', () => {
    expect(verify(signedEvent(BODY, { timestamp: NOW_S + 300 }))).toEqual({ ok: true });
    expect(verify(signedEvent(BODY, { timestamp: NOW_S + 301 }))).toEqual({ ok: false, reason: 'request timestamp is 301 s in the future (at most 300 s)' });
  });

  it.each([
    ['no timestamp header', { 'x-slack-request-timestamp': undefined }, 'no x-slack-request-timestamp header'],
    ['no signature header', { 'x-slack-signature': undefined }, 'no x-slack-signature header'],
    ['an empty signature', { 'x-slack-signature': '' }, 'no x-slack-signature header'],
    ['a timestamp that is not a number', { 'x-slack-request-timestamp': '1700000000.5' }, 'x-slack-request-timestamp is not a number of seconds'],
    ['a signature of the wrong length', { 'x-slack-signature': 'v0=abc' }, 'x-slack-signature is not v0= and 64 hex digits'],
    ['a signature in another version', { 'x-slack-signature': `v1=${'0'.repeat(64)}` }, 'x-slack-signature is not v0= and 64 hex digits'],
    ['two signatures joined by the URL', { 'x-slack-signature': `v0=${'0'.repeat(64)},v0=${'1'.repeat(64)}` }, 'x-slack-signature is not v0= and 64 hex digits'],
  ])('refuses %s', (_name, headers, reason) => {
    expect(verify(signedEvent(BODY, { timestamp: NOW_S, headers }))).toEqual({ ok: false, reason });
  });

  it('refuses anything that is not a request at all', () => {
    for (const event of [null, undefined, 'POST /', 42, [], {}, { headers: null, body: null }]) {
      expect(verify(event).ok).toBe(false);
    }
  });

  it('verifies the decoded bytes of a base64-encoded body, not the base64 text', () => {
    const event = signedEvent(BODY, { timestamp: NOW_S, base64: true });
    expect(event.body).not.toContain('command=');
    expect(verify(event)).toEqual({ ok: true });
    // The same base64 text presented as plain text no longer matches the signature.
    expect(verify({ ...event, isBase64Encoded: false }).ok).toBe(false);
  });

  it('reads header names in any case', () => {
    const event = signedEvent(BODY, { timestamp: NOW_S });
    const upper = Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [name.toUpperCase(), value]));
    expect(verify({ ...event, headers: upper })).toEqual({ ok: true });
  });
});
