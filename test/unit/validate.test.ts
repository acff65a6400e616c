import { describe, expect, it } from 'vitest';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { lineDiff } from '../../src/cli/diff.ts';
import { validateTemplate } from '../../src/cli/validate.ts';
import { TEMPLATE_PARTS } from '../../src/base/contract.ts';

await loadTemplateEngine();

const messages = (name: 'slack' | 'email-subject' | 'email-body', source: string, form: 'handlebars' | 'stored' = 'handlebars') =>
  validateTemplate(name, source, 'UTC', form).map((f) => `${f.severity}: ${f.message}`);

describe('validateTemplate', () => {
  it('passes the bundled defaults cleanly', async () => {
    const { DEFAULT_TEMPLATES } = await import('../../src/render/default-templates.gen.ts');
    // validateTemplate knows the connect kind's text templates; the blocks defaults are checked by
    // test/unit/default-blocks.test.ts until `templates validate` covers blocks (issue 12).
    const textNames: readonly string[] = TEMPLATE_PARTS;
    for (const [name, source] of Object.entries(DEFAULT_TEMPLATES)) if (textNames.includes(name)) expect(validateTemplate(name as 'slack', source)).toEqual([]);
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

  it('refuses a literal {{ that Parameter Store cannot hold', () => {
    expect(messages('slack', 'x \\{{not a mustache}} {{username}}')).toContainEqual(expect.stringMatching(/cannot be stored in Parameter Store/));
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nB\nc\nd')).toEqual(['  a', '- b', '+ B', '  c', '+ d']);
  });
});
