import { describe, expect, it } from 'vitest';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { lineDiff } from '../../src/cli/diff.ts';
import { validateTemplate } from '../../src/cli/validate.ts';

await loadTemplateEngine();

const messages = (name: 'slack' | 'email-subject' | 'email-body', source: string, form: 'handlebars' | 'stored' = 'handlebars') =>
  validateTemplate(name, source, 'UTC', form).map((f) => `${f.severity}: ${f.message}`);

describe('validateTemplate', () => {
  it('passes the bundled connect defaults cleanly', async () => {
    const { DEFAULT_TEMPLATES } = await import('../../src/render/default-templates.gen.ts');
    // validateTemplate renders connect samples; the disconnect and connect-failed defaults are
    // rendered against connection log samples in event-templates.test.ts.
    for (const name of ['slack', 'email-subject', 'email-body'] as const) {
      const source = DEFAULT_TEMPLATES[name];
      expect(source).toBeDefined();
      expect(validateTemplate(name, source ?? '')).toEqual([]);
    }
  });

  it('reports a syntax error with its line', () => {
    const [finding] = messages('slack', 'line one\n{{#if username}}\nno close');
    expect(finding).toMatch(/^error: syntax error at line 3/);
  });

  it('reports an unknown helper with line and column, in stored form too', () => {
    expect(messages('slack', 'Hi\n  {{shout username}}')).toEqual(['error: unknown helper "shout" at line 2, column 3']);
    expect(messages('slack', 'Hi {%#loop groups%}x{%/loop%}', 'stored')).toEqual(['error: unknown helper "loop" at line 1, column 4']);
    expect(messages('slack', '{{default (yell username) "x"}}')).toEqual(['error: unknown helper "yell" at line 1, column 11']);
  });

  it('flags a subject that would be cut', () => {
    const [finding] = messages('email-subject', 'VPN login by {{username}} with a long fixed text that goes on and on and on and on and on for sure');
    expect(finding).toMatch(/^warning: subject is \d+ characters for the "[^"]+" event and is cut to 99/);
  });

  it('flags a value that needs the Advanced tier, and one too large for Parameter Store', () => {
    expect(messages('email-body', `{{username}} ${'x'.repeat(5000)}`)).toContainEqual(expect.stringMatching(/^warning: 50\d\d bytes in stored form: needs the Advanced tier/));
    expect(messages('email-body', `{{username}} ${'x'.repeat(9000)}`)).toContainEqual(expect.stringMatching(/^error: 90\d\d bytes in stored form: Parameter Store holds at most 8192/));
  });

  it('flags templates that fail or come out empty on a sample event', () => {
    expect(messages('slack', '{{truncate username 0}}')).toContainEqual(expect.stringMatching(/^error: fails to render the "typical" event \(truncate needs a whole number/));
    expect(messages('slack', '{{username}}')).toContainEqual(expect.stringMatching(/^warning: renders empty for the "missing fields" event/));
  });

  it.each([
    ['{{default username "50%}"}}', 1],
    ['ok {{username}}\n{{!-- a comment with %} in it --}}', 2],
    ['line one\nline two\n50{% off {{username}} %}', 3],
  ])('refuses %j, which Parameter Store would not give back as written, naming line %i', (template, line) => {
    expect(messages('slack', template)).toEqual([expect.stringMatching(new RegExp(`^error: line ${line} would not read back as written`))]);
  });

  it('renders a .hbs file the way the handler will read it back: a literal {% is text, not a mustache', () => {
    expect(messages('slack', 'Hi {{default username "there"}}, 100% {% sure')).toEqual([]);
  });

  it('refuses a literal {{ that Parameter Store cannot hold', () => {
    expect(messages('slack', 'x \\{{not a mustache}} {{username}}')).toContainEqual(expect.stringMatching(/cannot be stored in Parameter Store/));
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual(['  a', '- b', '+ B', '  c', '+ d']);
  });
});

describe('validateTemplate for every kind (contract sections 11, 14)', () => {
  const found = (key: string, source: string) => validateTemplate(key, source).map((f) => `${f.severity}: ${f.message}`);

  it('passes every bundled default, blocks included', async () => {
    const { DEFAULT_TEMPLATES } = await import('../../src/render/default-templates.gen.ts');
    const { ALL_TEMPLATE_KEYS } = await import('../../src/base/contract.ts');
    for (const key of ALL_TEMPLATE_KEYS) {
      expect(DEFAULT_TEMPLATES[key], key).toBeDefined();
      expect(validateTemplate(key, DEFAULT_TEMPLATES[key] ?? ''), key).toEqual([]);
    }
  });

  it('renders disconnect templates against sample log entries: NA everywhere leaves the username empty', () => {
    expect(found('disconnect/slack', '{{username}}')).toEqual([expect.stringMatching(/^warning: renders empty for the "NA everywhere" event, so the bundled default goes out instead$/)]);
  });

  it('gives a disconnect its connect context, so {{connect.…}} is checked too', () => {
    expect(found('disconnect/slack', 'bye {{username}} {{#each connect.groups}}{{{this}}}{{/each}}')).toEqual([
      expect.stringMatching(/^warning: event text reaches Slack unescaped: .* live <!subteam\^S123>.*raw insertion at line 1, column 42/),
    ]);
    expect(found('disconnect/slack', 'bye {{username}} {{join connect.groups}}')).toEqual([]);
  });

  it('warns about live mentions from log entries in connect-failed Slack text, not in its email', () => {
    expect(found('connect-failed/slack', ':x: {{{username}}} failed')).toEqual([expect.stringMatching(/^warning: event text reaches Slack unescaped: .* live <!channel>, <@U123>, <!here>/)]);
    expect(found('connect-failed/email-body', '{{{username}}} failed')).toEqual([]);
  });

  it('reports one failure for many samples once, saying how many more', () => {
    expect(found('connect-failed/email-body', '{{truncate username 0}}')).toEqual([
      expect.stringMatching(/^error: fails to render the "typical" event \(truncate needs .*\), so the bundled default goes out instead \(and \d+ more samples\)$/),
    ]);
  });

  it('checks the handler-fault and failure-reason fields exist for connect-failed', () => {
    expect(found('connect-failed/email-subject', '{{#if handlerFault}}HANDLER{{else}}{{failureReason}}{{/if}}')).toEqual([
      expect.stringMatching(/^warning: renders empty for the "NA everywhere" event/),
    ]);
  });

  describe('blocks templates', () => {
    const header = (text: string) => `[ { "type": "header", "text": { "type": "plain_text", "text": "${text}" } } ]`;

    it('accepts a template that renders valid blocks for every sample', () => {
      expect(found('disconnect/slack-blocks', header('{{default username "someone"}} left after {{default duration "?"}}'))).toEqual([]);
    });

    it('reports text Slack refuses (empty), naming the samples', () => {
      expect(found('connect-failed/slack-blocks', header('{{username}}'))).toEqual([
        expect.stringMatching(/^error: blocks\[0\]\.text: empty text \(Slack needs at least 1 character\) \(for the "empty", "nulls", "NA everywhere \(sample log entry\)" samples\): Slack refuses such blocks$/),
      ]);
    });

    it('reports what is not a list of blocks, once per cause', () => {
      expect(found('slack-blocks', '{ "type": "divider" }')).toEqual([expect.stringMatching(/^error: the blocks template rendered an object, not a list of blocks \(for the "typical", .* samples\), so the bundled default blocks go out instead$/)]);
      expect(found('slack-blocks', `[${Array.from({ length: 51 }, () => '{ "type": "divider" }').join(',')}]`)).toEqual([expect.stringMatching(/rendered 51 blocks; Slack takes 1 to 50/)]);
    });

    it('names raw insertions of event text, and the hostile samples they break', () => {
      const findings = found('disconnect/slack-blocks', '[ { "type": "section", "text": { "type": "mrkdwn", "text": "{{{username}}} left" } } ]');
      expect(findings).toContainEqual(expect.stringMatching(/^error: the blocks template did not render JSON .*\(for the "hostile in every field", "quotes and backslashes" samples\)/));
      expect(findings).toContainEqual(expect.stringMatching(/^warning: event text inserted raw at line 1, column 61: /));
    });

    it('explains the "}}" of compact JSON, which the stored form cannot hold', () => {
      expect(found('slack-blocks', '[{"type":"header","text":{"type":"plain_text","text":"{{username}}"}}]')).toEqual([
        expect.stringMatching(/^error: line 1 would not read back as written.*write the closing braces of nested JSON objects apart/),
      ]);
    });
  });

  it('refuses a name that is no template', () => {
    expect(found('disconnect/slak', 'x')).toEqual(['error: is not a template name']);
  });
});
