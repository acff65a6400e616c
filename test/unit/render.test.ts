import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { parseConnection } from '../../src/base/connection.ts';
import { compileStoredTemplate, compileTemplate, isCompiled, TemplateError } from '../../src/render/compile.ts';
import { buildContext, type TemplateContext } from '../../src/render/context.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';
import { renderNotification, renderTemplate, SUBJECT_MAX_CHARS } from '../../src/render/render.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };
import hostile from '../fixtures/event-hostile.json' with { type: 'json' };
import ja from '../fixtures/event-ja.json' with { type: 'json' };
import sparse from '../fixtures/event-sparse.json' with { type: 'json' };
import { EVENT_V2_FIELDS } from '../fixtures/event-v2.expected.ts';

await loadTemplateEngine();

const AT = new Date('2026-11-28T15:04:05.678Z');
const ctx = (event: unknown, zone = 'UTC'): TemplateContext => buildContext(parseConnection(event), AT, zone, 'ap-northeast-1');
const slack = (template: string, event: unknown = v2) => renderTemplate('slack', template, ctx(event), 'UTC');
const body = (template: string, event: unknown = v2) => renderTemplate('email-body', template, ctx(event), 'UTC');

describe('context', () => {
  it('has every field of the contract', () => {
    expect(ctx(v2, 'Asia/Tokyo')).toEqual({
      ...EVENT_V2_FIELDS,
      time: '2026-11-28T15:04:05.678Z',
      localTime: '2026-11-29 00:04:05 Asia/Tokyo',
      region: 'ap-northeast-1',
      event: v2,
      kind: 'connect',
      status: 'connected',
      mention: '',
      actionsEnabled: false,
    });
  });
  it('strips controls and bidi overrides from single-line fields', () => {
    const c = ctx(hostile);
    expect(c.username).toBe('<!channel> & <@U123>gnp.exe Injected: yes');
    expect(c.groups).toEqual(['admins', '<!everyone>']);
  });
});

describe('helpers', () => {
  it.each([
    ['{{default username "nobody"}}', 'alice'],
    ['{{default nothing "nobody"}}', 'nobody'],
    ['{{join groups}}', 'admins'],
    ['[{{join event.missing}}]', '[]'],
    ['{{truncate commonName 5}}', 'alic…'],
    ['{{upper username}} {{lower "ABC"}}', 'ALICE abc'],
    ['{{#if (eq platform "win")}}Windows{{else}}other{{/if}}', 'Windows'],
    ['{{formatDate time}}', '2026-11-28 15:04:05 UTC'],
    ['{{formatDate time "Asia/Tokyo"}}', '2026-11-29 00:04:05 Asia/Tokyo'],
    ['{{formatDate time "America/New_York"}}', '2026-11-28 10:04:05 America/New_York'],
    ['{{{json groups}}}', '["admins"]'],
    ['{{{json event.username}}}', '"alice"'],
    ['{{region}}/{{schemaVersion}}', 'ap-northeast-1/v2'],
  ])('%s -> %s', (template, expected) => {
    expect(slack(template)).toBe(expected);
  });

  it('joins with a given separator and counts truncation in code points', () => {
    expect(body('{{join groups " | "}}', { groups: ['a', 'b'] })).toBe('a | b');
    expect(body('{{truncate username 3}}', ja)).toBe('山田…');
  });

  it('formatDate uses TIME_ZONE by default', () => {
    expect(renderTemplate('slack', '{{formatDate time}}', ctx(v2), 'Asia/Tokyo')).toBe('2026-11-29 00:04:05 Asia/Tokyo');
  });
});

describe('escaping', () => {
  it('escapes {{value}} for Slack mrkdwn so nobody is pinged or linked', () => {
    expect(slack('{{username}} {{commonName}} {{platform}}', hostile)).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt;gnp.exe Injected: yes &lt;https://evil.example|click me&gt; &lt;!here&gt;',
    );
  });
  it('escapes helper output too', () => {
    expect(slack('{{join groups}}', hostile)).toBe('admins, &lt;!everyone&gt;');
    expect(slack('{{default username "x"}}', hostile)).toContain('&lt;!channel&gt;');
  });
  it('leaves {{{value}}} raw in Slack, as the operator asked', () => {
    expect(slack('{{{platform}}}', hostile)).toBe('<!here>');
  });
  it('never puts HTML entities into email', () => {
    const text = body('{{username}} {{commonName}}', hostile);
    expect(text).toBe('<!channel> & <@U123>gnp.exe Injected: yes <https://evil.example|click me>');
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#x27|#39);/);
  });
  it('keeps whitespace control working', () => {
    expect(slack('a  {{~username~}}  b')).toBe('aaliceb');
  });
  it('handles stored form in Parameter Store values', () => {
    expect(slack('{%username%} {%{platform}%} \\{% x %}', hostile)).toBe('&lt;!channel&gt; &amp; &lt;@U123&gt;gnp.exe Injected: yes <!here> {% x %}');
  });
  it('for any value, the Slack text has no < or & from the value unescaped, and the subject stays valid', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const c = ctx({ username: value, 'common-name': value, groups: [value] });
        const text = renderTemplate('slack', 'X{{username}}|{{join groups}}|{{commonName}}X', c, 'UTC');
        const inner = text.slice(1, -1);
        expect(inner).not.toMatch(/[<>]/);
        expect(inner.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        const rendered = renderNotification({}, c, 'UTC');
        const subject = rendered['email-subject'].text;
        expect(Array.from(subject).length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
        expect(subject.length).toBeGreaterThan(0);
        expect(subject).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(subject).toBe(subject.trim());
      }),
    );
  });
});

describe('subject and body', () => {
  it('makes the subject one line under 100 characters, cut with …', () => {
    const long = { username: `${'名前'.repeat(80)}\nsecond line` };
    const subject = renderTemplate('email-subject', '{{username}}\n{{username}}', ctx(long), 'UTC');
    expect(Array.from(subject)).toHaveLength(SUBJECT_MAX_CHARS);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject).not.toContain('\n');
  });
  it('removes control characters the template itself carries from the body', () => {
    expect(body('line1\u0007\r\nline2')).toBe('line1\nline2');
  });
});

describe('fallback to bundled defaults', () => {
  const good = renderNotification({}, ctx(v2), 'UTC');

  it.each([
    ['a syntax error', '{{#if username}}unclosed'],
    ['an unknown helper', '{{shout username}}'],
    ['an unknown block helper', '{{#loop groups}}x{{/loop}}'],
    ['a helper failing at render time', '{{truncate username "many"}}'],
    ['empty output', '{{nothing}}'],
  ])('%s falls back for that template only', (_what, broken) => {
    const out = renderNotification({ slack: broken, 'email-subject': 'Custom {{username}}' }, ctx(v2), 'UTC');
    expect(out.slack).toMatchObject({ text: good.slack.text, from: 'default' });
    expect(out.slack.fallbackReason).toBeTruthy();
    expect(out['email-subject']).toEqual({ text: 'Custom alice', from: 'stored' });
    expect(out['email-body']).toEqual({ text: good['email-body'].text, from: 'default' });
  });

  it('names the unknown helper', () => {
    expect(() => compileTemplate('{{shout username}}', 'slack')).toThrow(TemplateError);
    expect(() => compileTemplate('{{shout username}}', 'slack')).toThrow(/shout/);
  });

  it('does not expose prototype properties to templates', () => {
    expect(slack('[{{username.constructor}}][{{event.__proto__}}][{{lookup event "constructor"}}]')).toBe('[][][]');
  });
});

describe('compiled once per stored source', () => {
  it('a warm render reuses the compiled template of the same stored text, per target', () => {
    const stored = '{%username%} <{%{platform}%}> \\{% x %} {%n%}';
    expect(isCompiled(stored, 'slack')).toBe(false);
    const first = compileStoredTemplate(stored, 'slack');
    expect(isCompiled(stored, 'slack')).toBe(true);
    expect(compileStoredTemplate(stored, 'slack')).toBe(first);
    expect(isCompiled(stored, 'plain')).toBe(false);
    const context = { username: 'a<b', platform: '<!here>', n: 'x&y' };
    expect(first(context, { timeZone: 'UTC' })).toBe('a&lt;b <<!here>> {% x %} x&amp;y');
    expect(compileStoredTemplate(stored, 'plain')(context, { timeZone: 'UTC' })).toBe('a<b <<!here>> {% x %} x&y');
  });

  it('a stored template that does not compile is not remembered: it fails the same way every time', () => {
    const broken = '{%#if username%}unclosed';
    expect(() => compileStoredTemplate(broken, 'slack')).toThrow(TemplateError);
    expect(isCompiled(broken, 'slack')).toBe(false);
    expect(() => compileStoredTemplate(broken, 'slack')).toThrow(TemplateError);
  });
});

describe('bundled default templates', () => {
  it.each([
    ['v2', v2],
    ['hostile', hostile],
    ['Japanese', ja],
    ['sparse', sparse],
    ['null', null],
    ['empty', {}],
  ])('render the %s event', (_name, event) => {
    const out = renderNotification({}, ctx(event, 'Asia/Tokyo'), 'Asia/Tokyo');
    for (const template of Object.values(out)) expect(template.from).toBe('default');
    expect(out.slack.text).toContain('Client VPN connection');
    expect(out['email-subject'].text).toMatch(/^\[Client VPN\] /);
    expect(out['email-body'].text).toContain('A client connected to AWS Client VPN.');
  });

  it('show who, from where, which endpoint and when', () => {
    const out = renderNotification({}, ctx(v2, 'Asia/Tokyo'), 'Asia/Tokyo');
    for (const expected of ['alice', '203.0.113.10', 'cvpn-endpoint-0abc', '2026-11-29 00:04:05 Asia/Tokyo', 'admins', 'win']) {
      expect(out.slack.text).toContain(expected);
      expect(out['email-body'].text).toContain(expected);
    }
    expect(out['email-subject'].text).toBe('[Client VPN] alice connected from 203.0.113.10');
  });

  it('begin with the route mention, raw, when there is one (contract 13), and with nothing when there is none', () => {
    const withMention = { ...ctx(hostile), mention: '<!subteam^S0123ABC>' } as TemplateContext;
    expect(renderNotification({}, withMention, 'UTC').slack.text.startsWith('<!subteam^S0123ABC> :closed_lock_with_key:')).toBe(true);
    expect(renderNotification({}, ctx(hostile), 'UTC').slack.text.startsWith(':closed_lock_with_key:')).toBe(true);
  });

  it('never fail, whatever the event', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (event) => {
        const out = renderNotification({}, ctx(event), 'UTC');
        expect(out.slack.text.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('are what templates/*.hbs hold (run npm run gen:templates after editing them)', async () => {
    const { generateDefaultTemplates } = await import('../../scripts/gen-templates.ts');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(new URL('../../src/render/default-templates.gen.ts', import.meta.url), 'utf8')).toBe(generateDefaultTemplates());
    expect(Object.keys(DEFAULT_TEMPLATES).sort()).toEqual([
      'connect-failed/email-body',
      'connect-failed/email-subject',
      'connect-failed/slack',
      'connect-failed/slack-blocks',
      'disconnect/email-body',
      'disconnect/email-subject',
      'disconnect/slack',
      'disconnect/slack-blocks',
      'email-body',
      'email-subject',
      'slack',
      'slack-blocks',
    ]);
  });

  it('the Japanese examples compile and render', async () => {
    const { readFileSync } = await import('node:fs');
    for (const name of ['slack', 'email-subject', 'email-body'] as const) {
      const source = readFileSync(new URL(`../../templates/examples/ja/${name}.hbs`, import.meta.url), 'utf8');
      const out = renderNotification({ [name]: source }, ctx(ja), 'UTC');
      expect(out[name].from).toBe('stored');
      expect(out[name].text).toContain('山田');
    }
  });
});
