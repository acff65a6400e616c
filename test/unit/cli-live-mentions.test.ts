import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { liveSequencesFromEvent, rawEventMustaches } from '../../src/cli/live-mentions.ts';
import { validateTemplate } from '../../src/cli/validate.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { toStoredForm } from '../../src/render/stored-form.ts';

await loadTemplateEngine();

const liveWarnings = (source: string) => validateTemplate('slack', source).filter((f) => /unescaped/.test(f.message));

describe('live mentions from event text in the Slack template', () => {
  it('warns when a raw insertion turns the hostile sample into live mentions, naming what and where', () => {
    expect(liveWarnings('Hi {{username}}\nfrom {{{username}}}')).toEqual([
      {
        template: 'slack',
        severity: 'warning',
        message: expect.stringMatching(/^event text reaches Slack unescaped: the "Slack mentions and links" event renders as live <!channel>, <@U123>, <!here>, .*\(raw insertion at line 2, column 6\)/),
      },
    ]);
  });

  it.each([
    ['{{{json event}}}', ['<!channel>', '<@U123>', '<!here>', '<!everyone>', '<!subteam^S123>', '<https://evil.example|click me>']],
    ['{{#each groups}}{{{this}}} {{/each}}', ['<!subteam^S123>']],
    ['{{{default commonName "none"}}}', ['<https://evil.example|click me>']],
    ['{{&platform}}', ['<!everyone>']],
  ])('rendering finds what %j lets through', (template, live) => {
    expect(liveSequencesFromEvent(toStoredForm(template), 'UTC')).toEqual(live);
  });

  it.each([
    ['escaped insertion', 'Hi {{username}} ({{commonName}}) {{join groups}}'],
    ['a mention the template writes itself', '<!here> {{username}} connected'],
    ['the route mention, raw on purpose', '{{{mention}}} {{username}}'],
    ['raw but cut short of a mention', '{{{truncate username 3}}} {{username}}'],
    ['raw non-event fields', '{{{region}}} {{{time}}} {{username}}'],
  ])('no warning for %s', (_, template) => {
    expect(liveWarnings(template)).toEqual([]);
  });

  it('only the Slack template is checked: email is plain text', () => {
    expect(validateTemplate('email-body', '{{{username}}}').filter((f) => /unescaped/.test(f.message))).toEqual([]);
  });

  it('locates raw mustaches reading event fields, through helpers and blocks', () => {
    expect(rawEventMustaches('{{{mention}}} {{{upper username}}}\n{{#with event}}{{{x}}}{{/with}} {{{time}}} {{username}}')).toEqual([
      'line 1, column 15',
      'line 2, column 16',
    ]);
  });
});

describe('templates validate with a live mention', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvpn-live-'));
  writeFileSync(join(dir, 'slack.hbs'), ':wave: {{{username}}} connected');

  async function validate(...extra: string[]) {
    const out: string[] = [];
    const code = await main(['templates', 'validate', '--dir', dir, ...extra], { env: {}, out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  }

  it('is a warning: reported, exit 0', async () => {
    const { code, out } = await validate();
    expect(code).toBe(0);
    expect(out).toMatch(/^warning: slack: event text reaches Slack unescaped/m);
    expect(out).toContain('0 error(s), 1 warning(s)');
  });

  it('fails the check with --strict: exit 1', async () => {
    const { code, out } = await validate('--strict');
    expect(code).toBe(1);
    expect(out).toMatch(/^warning: slack: event text reaches Slack unescaped/m);
  });
});
