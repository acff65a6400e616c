import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromStoredForm, storedFormProblem, toStoredForm } from '../../src/render/stored-form.ts';

describe('fromStoredForm', () => {
  it.each([
    ['{%username%}', '{{username}}'],
    ['{%#if groups%}x{%/if%}', '{{#if groups}}x{{/if}}'],
    ['{%{raw}%}', '{{{raw}}}'],
    ['{{username}} already Handlebars', '{{username}} already Handlebars'],
    ['a \\{% literal %} b', 'a {% literal %} b'],
    ['100%} off', '100%} off'],
    ['{%default username "x"%} 50%}', '{{default username "x"}} 50%}'],
    ['', ''],
  ])('%j -> %j', (stored, handlebars) => {
    expect(fromStoredForm(stored)).toBe(handlebars);
  });
});

describe('toStoredForm', () => {
  it.each([
    ['{{username}}', '{%username%}'],
    ['{{{raw}}}', '{%{raw}%}'],
    ['{{#if a}}{{b}}{{/if}}', '{%#if a%}{%b%}{%/if%}'],
    ['a {% b %} c', 'a \\{% b %} c'],
  ])('%j -> %j', (handlebars, stored) => {
    expect(toStoredForm(handlebars)).toBe(stored);
  });

  it('refuses an escaped Handlebars mustache, which has no stored form', () => {
    expect(() => toStoredForm('\\{{literal}}')).toThrow(/cannot be stored/);
  });

  it('never leaves {{ or }} in a stored value, so Parameter Store accepts it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '%', '\\', 'a', ' ', '#', '/') }), (template) => {
        fc.pre(!template.includes('\\{{'));
        const stored = toStoredForm(template);
        expect(stored).not.toMatch(/\{\{[\s\S]*\}\}/);
      }),
    );
  });

  it('round-trips templates made of mustaches, text and literal {% %}', () => {
    const piece = fc.oneof(
      fc.constantFrom('{{username}}', '{{{raw}}}', '{{#if a}}', '{{/if}}', '{% literal %}', 'text', ' ', '\n', '日本語', '\\ ', '{ ', ' }', '50%'),
    );
    fc.assert(
      fc.property(fc.array(piece), (pieces) => {
        const template = pieces.join('');
        // Braces and % stand apart from mustaches here: '{' + '{% x %}' is no valid Handlebars to begin with.
        expect(fromStoredForm(toStoredForm(template))).toBe(template);
      }),
    );
  });
});

describe('storedFormProblem', () => {
  it.each([
    ['{{default x "50%}"}}', 1],
    ['ok\n{{!-- a comment with %} inside --}}', 2],
    ['50{% off {{username}} %}', 1],
  ])('refuses %j, naming line %i', (template, line) => {
    expect(storedFormProblem(template)).toMatch(new RegExp(`^line ${line} `));
  });

  it('accepts what round-trips, a literal {% %} and triple stashes included', () => {
    for (const template of ['{{username}}', '{{{raw}}} and {% literal %}', '日本語 {{#if groups}}{{join groups}}{{/if}}']) {
      expect(fromStoredForm(toStoredForm(template))).toBe(template);
      expect(storedFormProblem(template)).toBeUndefined();
    }
  });

  it('explains the Handlebars escaped mustache, which cannot be stored at all', () => {
    expect(storedFormProblem('\\{{x}}')).toMatch(/cannot be stored/);
  });
});
