/**
 * The bundled default templates of the disconnect and connect-failed kinds, and the connect
 * defaults' live status line, rendered through renderTemplate with real and hostile contexts.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConnection } from '../../src/base/connection.ts';
import { templateKey, TEMPLATE_PARTS, type TemplatePart } from '../../src/base/contract.ts';
import { classifyEntry, type ConnectionEventKind } from '../../src/events/classify.ts';
import { buildEventContext, type EventTemplateContext } from '../../src/events/context.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { buildContext, type TemplateContext } from '../../src/render/context.ts';
import { bundledDefault, renderTemplate, SUBJECT_MAX_CHARS } from '../../src/render/render.ts';
import { fromStoredForm, storedFormProblem, toStoredForm } from '../../src/render/stored-form.ts';
import allNa from '../fixtures/connection-log/all-na.json' with { type: 'json' };
import disconnect from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import policyDeny from '../fixtures/connection-log/failed-authorization-policy.json' with { type: 'json' };
import handlerTimeout from '../fixtures/connection-log/failed-handler-timed-out.json' with { type: 'json' };
import hostileConnect from '../fixtures/event-hostile.json' with { type: 'json' };
import v2 from '../fixtures/event-v2.json' with { type: 'json' };

await loadTemplateEngine();

const ZONE = 'Asia/Tokyo';
const LOGGED_AT = Date.UTC(2026, 10, 29, 10, 13, 7);
const KINDS: readonly ConnectionEventKind[] = ['disconnect', 'connect-failed'];
const connectContext = (event: unknown): TemplateContext => buildContext(parseConnection(event), new Date(Date.UTC(2026, 10, 29, 8, 0, 1)), ZONE, 'ap-northeast-1');

function eventContext(raw: object, kind: ConnectionEventKind, connect?: object): EventTemplateContext {
  const result = classifyEntry(JSON.stringify(raw));
  // Build any entry as the kind asked for, so every template sees every fixture.
  const entry = result.kind === 'disconnect' || result.kind === 'connect-failed' ? result.entry : undefined;
  if (!entry) throw new Error(`fixture is ${result.kind}`);
  return buildEventContext(entry, kind, LOGGED_AT, ZONE, 'ap-northeast-1', connect);
}

// renderTemplate is typed to the connect context; the escaping target depends only on the part.
const render = (kind: ConnectionEventKind | 'connect', part: TemplatePart, context: object, source = bundledDefault(templateKey(kind, part))): string =>
  renderTemplate(part, source, context as TemplateContext, ZONE);

const renderAll = (kind: ConnectionEventKind | 'connect', context: object): Record<TemplatePart, string> =>
  Object.fromEntries(TEMPLATE_PARTS.map((part) => [part, render(kind, part, context)])) as Record<TemplatePart, string>;

// Slack turns <!channel>, <!here>, <@U…>, <#C…> and <url|text> into pings and links; none may get through.
const LIVE_SLACK_MARKUP = /[<>]/;
const CONTROLS_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS_IN_BODY = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(out: Record<TemplatePart, string>): void {
  expect(out.slack).not.toMatch(LIVE_SLACK_MARKUP);
  expect(out.slack.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  const subject = out['email-subject'];
  expect(subject.length).toBeGreaterThan(0);
  expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
  expect(subject).not.toMatch(CONTROLS_IN_LINE);
  expect(out['email-body']).not.toMatch(CONTROLS_IN_BODY);
  expect(out['email-body']).not.toMatch(/&(amp|lt|gt|quot|#x27|#39);/);
}

describe('disconnect defaults', () => {
  it('say who left, after how long, and how much traffic', () => {
    const out = renderAll('disconnect', eventContext(disconnect, 'disconnect'));
    expect(out['email-subject']).toBe('[Client VPN] alice disconnected after 2h 13m 05s');
    expect(out.slack.split('\n')[0]).toBe(':wave: *Client VPN disconnect*: *alice* disconnected after 2h 13m 05s');
    for (const text of [out.slack, out['email-body']]) {
      for (const expected of ['1.2 MiB in / 7.3 MiB out', '203.0.113.10', '2026-11-29 17:00:01 Asia/Tokyo', '2026-11-29 19:13:06 Asia/Tokyo', 'cvpn-endpoint-0abc', 'cvpn-connection-0abc']) {
        expect(text).toContain(expected);
      }
      expect(text).not.toContain('admins');
    }
  });

  it('say more when the connect is known: platform and groups', () => {
    const out = renderAll('disconnect', eventContext(disconnect, 'disconnect', connectContext(v2)));
    expect(out.slack).toContain('• *Client:* win 10.0.19045 · *Groups:* admins');
    expect(out['email-body']).toContain('Groups:        admins');
    expect(out['email-body']).toContain('Platform:      win 10.0.19045');
  });

  it('fall back to "unknown" when the entry has NA everywhere', () => {
    const out = renderAll('disconnect', eventContext({ ...allNa, 'connection-end-time': '2026-11-29 10:13:06' }, 'disconnect'));
    expect(out['email-subject']).toBe('[Client VPN] unknown user disconnected');
    expect(out.slack).toContain('unknown in / unknown out');
    expect(out['email-body']).toContain('Duration:      unknown');
  });
});

describe('connect-failed defaults', () => {
  it('report an ordinary failed attempt with its reason, and no handler advice', () => {
    const out = renderAll('connect-failed', eventContext(policyDeny, 'connect-failed'));
    expect(out['email-subject']).toBe('[Client VPN] Failed connection attempt by client1.domain.tld from 72.21.198.66');
    expect(out.slack.split('\n')[0]).toBe(':no_entry: *Failed Client VPN connection attempt*: *client1.domain.tld* from `72.21.198.66`');
    for (const text of [out.slack, out['email-body']]) {
      expect(text).toContain('authorization-policy-deny');
      expect(text).not.toContain('HandlerDenials');
      expect(text).not.toContain('/aws/lambda/AWSClientVPN-');
    }
  });

  it("say plainly when the notifier's own handler denied someone, and where to look", () => {
    const out = renderAll('connect-failed', eventContext(handlerTimeout, 'connect-failed'));
    expect(out['email-subject']).toBe('[Client VPN] Connection denied by a connect handler failure: bob');
    expect(out.slack.split('\n')[0]).toBe(":rotating_light: *Client VPN denied a connection because the notifier's own connect handler failed*");
    for (const text of [out.slack, out['email-body']]) {
      for (const expected of ['client-connect-handler-timed-out', '/aws/lambda/AWSClientVPN-', 'HandlerDenials', 'not a policy decision', 'bob', '198.51.100.23']) {
        expect(text).toContain(expected);
      }
    }
  });
});

describe('connect defaults show a live status', () => {
  const connected = connectContext(v2);
  const disconnected = {
    ...connected,
    status: 'disconnected',
    endTime: '2026-11-29T10:13:06.000Z',
    localEndTime: '2026-11-29 19:13:06 Asia/Tokyo',
    duration: '2h 13m 05s',
    durationSeconds: 7985,
    ingressBytes: 1234567,
    egressBytes: 7654321,
  };

  it('connected, when status says so or is not given', () => {
    for (const context of [{ ...connected, status: 'connected' }, connected]) {
      const out = renderAll('connect', context);
      expect(out.slack.split('\n')[1]).toBe('• *Status:* :large_green_circle: connected');
      expect(out['email-body']).toContain('Status:        connected\n');
    }
  });

  it('disconnected after the duration, with bytes in and out, when re-rendered for the parent message', () => {
    const out = renderAll('connect', disconnected);
    expect(out.slack.split('\n')[0]).toContain('Client VPN connection');
    expect(out.slack.split('\n')[1]).toBe('• *Status:* :white_circle: disconnected after 2h 13m 05s at 2026-11-29 19:13:06 Asia/Tokyo · 1.2 MiB in / 7.3 MiB out');
    expect(out['email-body']).toContain('Status:        disconnected after 2h 13m 05s at 2026-11-29 19:13:06 Asia/Tokyo, 1.2 MiB in / 7.3 MiB out\n');
  });

  it('disconnected without numbers still reads', () => {
    const out = renderAll('connect', { ...connected, status: 'disconnected', ingressBytes: null, egressBytes: null });
    expect(out.slack.split('\n')[1]).toBe('• *Status:* :white_circle: disconnected · unknown in / unknown out');
  });
});

describe('hostile values in every event-derived field', () => {
  const hostile = (i: number) => `<!channel> \`x\` <@U0${i}> <https://evil.example|click> & ${'長'.repeat(5000)}\u0000\u0007\u202e\r\nline2\t<#C1>`;
  const fields = ['connection-id', 'client-vpn-endpoint-id', 'transport-protocol', 'client-ip', 'common-name', 'device-type', 'device-ip', 'port', 'username'];
  const hostileEntry = (extra: object) => ({ ...disconnect, ...Object.fromEntries(fields.map((key, i) => [key, hostile(i)])), ...extra });

  it.each([
    ['disconnect', hostileEntry({}), undefined],
    ['disconnect', hostileEntry({}), connectContext(hostileConnect)],
    ['connect-failed', hostileEntry({ 'connection-attempt-failure-reason': hostile(99) }), undefined],
    ['connect-failed', hostileEntry({ 'connection-attempt-failure-reason': `client-connect-handler-${hostile(98)}` }), undefined],
  ] as const)('%s (connect known: %#) renders with no live mention, a one-line subject and a clean body', (kind, entry, connect) => {
    const context = eventContext(entry, kind, connect);
    const out = renderAll(kind, context);
    expectSafe(out);
    expect(out.slack).toContain('&lt;!channel&gt; \u02cbx\u02cb &lt;@U08&gt; &lt;https://evil.example|click&gt; &amp; 長');
    expect(out.slack).toContain('長'.repeat(5000));
  });

  it('the connect defaults re-rendered as disconnected stay safe too', () => {
    const context = { ...connectContext(hostileConnect), status: 'disconnected', duration: hostile(1), localEndTime: hostile(2), ingressBytes: hostile(3) };
    expectSafe(renderAll('connect', context));
  });

  it('any text in any field never breaks a default', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...Object.keys(disconnect)), fc.string({ unit: 'binary', maxLength: 200 })),
        fc.constantFrom(...KINDS),
        fc.option(fc.jsonValue(), { nil: undefined }),
        (overrides, kind, connect) => {
          const result = classifyEntry(JSON.stringify({ ...disconnect, ...overrides }));
          if (result.kind !== 'disconnect' && result.kind !== 'connect-failed') return;
          const context = buildEventContext(result.entry, kind, LOGGED_AT, ZONE, 'r', connect !== null && typeof connect === 'object' ? connect : undefined);
          expectSafe(renderAll(kind, context));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('routing mention (section 13)', () => {
  it.each(KINDS)('the %s Slack default starts with the route mention, raw, when there is one', (kind) => {
    const context = eventContext(kind === 'disconnect' ? disconnect : handlerTimeout, kind);
    expect(render(kind, 'slack', { ...context, mention: '<!subteam^S0123|oncall>' })).toMatch(/^<!subteam\^S0123\|oncall> :/);
    expect(render(kind, 'slack', { ...context, mention: '' })).toMatch(/^:/);
  });
});

describe('stored form (contract section 7 holds for the new names)', () => {
  const sources = [
    ...KINDS.flatMap((kind) => TEMPLATE_PARTS.map((part) => [templateKey(kind, part), bundledDefault(templateKey(kind, part))] as const)),
    ...KINDS.flatMap((kind) =>
      TEMPLATE_PARTS.map((part) => [`ja/${kind}/${part}`, readFileSync(new URL(`../../templates/examples/ja/${kind}/${part}.hbs`, import.meta.url), 'utf8')] as const),
    ),
  ];

  it.each(sources)('%s round-trips through Parameter Store form and fits the Standard tier', (_name, source) => {
    expect(storedFormProblem(source)).toBeUndefined();
    const stored = toStoredForm(source);
    expect(stored).not.toContain('{{');
    expect(fromStoredForm(stored)).toBe(source);
    expect(Buffer.byteLength(stored, 'utf8')).toBeLessThanOrEqual(4096);
  });
});

describe('Japanese examples', () => {
  const example = (kind: ConnectionEventKind, part: TemplatePart) => readFileSync(new URL(`../../templates/examples/ja/${kind}/${part}.hbs`, import.meta.url), 'utf8');

  it.each(KINDS.flatMap((kind) => TEMPLATE_PARTS.map((part) => [kind, part] as const)))('%s/%s compiles and renders', (kind, part) => {
    const fixture = kind === 'disconnect' ? disconnect : handlerTimeout;
    const text = render(kind, part, eventContext({ ...fixture, username: '山田' }, kind, connectContext(v2)), example(kind, part));
    expect(text).toContain('山田');
  });

  it('say the disconnect time in Japan time, and the handler fault plainly', () => {
    const bye = render('disconnect', 'slack', eventContext(disconnect, 'disconnect'), example('disconnect', 'slack'));
    expect(bye).toContain('2026-11-29 19:13:06 Asia/Tokyo');
    expect(bye).toContain('接続時間 2h 13m 05s');
    const denied = render('connect-failed', 'email-body', eventContext(handlerTimeout, 'connect-failed'), example('connect-failed', 'email-body'));
    expect(denied).toContain('HandlerDenials');
    expect(denied).toContain('/aws/lambda/AWSClientVPN-');
  });

  it('the connect example shows the status too', () => {
    const source = readFileSync(new URL('../../templates/examples/ja/slack.hbs', import.meta.url), 'utf8');
    const text = render('connect', 'slack', { ...connectContext(v2), status: 'disconnected', duration: '2h 13m 05s', ingressBytes: 1536, egressBytes: 0 }, source);
    expect(text.split('\n')[1]).toBe('• *状態:* :white_circle: 切断済み (接続時間 2h 13m 05s) ・受信 1.5 KiB / 送信 0 B');
  });
});
