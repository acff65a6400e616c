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
