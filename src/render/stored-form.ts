import { errorMessage } from '../base/errors.ts';
/**
 * Parameter Store refuses values containing `{{…}}` ("Parameter value can't nest another
 * parameter"), so templates are stored with `{%` / `%}` where Handlebars has `{{` / `}}`.
 * `\{%` is a literal `{%`, and the `%}` that closes it stays literal too.
 */

/** Stored form to Handlebars. A value already written with `{{ }}` passes through unchanged. */
export function fromStoredForm(stored: string): string {
  let out = '';
  let open = false; // inside a {% … %} that became {{ … }}
  let literal = false; // inside a \{% … %} that stays as written
  for (let i = 0; i < stored.length; i += 1) {
    const two = stored.slice(i, i + 2);
    if (stored.startsWith('\\{%', i)) {
      out += '{%';
      literal = true;
      i += 2;
    } else if (two === '{%' && !open && !literal) {
      out += '{{';
      open = true;
      i += 1;
    } else if (two === '%}' && open) {
      out += '}}';
      open = false;
      i += 1;
    } else if (two === '%}' && literal) {
      out += '%}';
      literal = false;
      i += 1;
    } else {
      out += stored[i];
    }
  }
  return out;
}

/** Handlebars to stored form; `fromStoredForm(toStoredForm(t)) === t` for the templates we write. */
export function toStoredForm(template: string): string {
  if (template.includes('\\{{')) {
    // Handlebars' escaped mustache renders a literal {{…}}, which Parameter Store refuses to hold.
    throw new Error('a template with \\{{ (a literal {{ in Handlebars) cannot be stored in Parameter Store');
  }
  let out = '';
  let literal = false;
  for (let i = 0; i < template.length; i += 1) {
    if (template.startsWith('{{{', i)) {
      out += '{%{';
      i += 2;
    } else if (template.startsWith('}}}', i)) {
      out += '}%}';
      i += 2;
    } else if (template.startsWith('{{', i)) {
      out += '{%';
      i += 1;
    } else if (template.startsWith('}}', i)) {
      out += '%}';
      i += 1;
    } else if (template.startsWith('{%', i)) {
      out += '\\{%';
      literal = true;
      i += 1;
    } else if (template.startsWith('%}', i) && literal) {
      out += '%}';
      literal = false;
      i += 1;
    } else {
      out += template[i];
    }
  }
  return out;
}

/** Why a template cannot be stored exactly as written, naming the first line that differs. */
export function storedFormProblem(template: string): string | undefined {
  let stored: string;
  try {
    stored = toStoredForm(template);
  } catch (error) {
    return errorMessage(error);
  }
  const back = fromStoredForm(stored);
  if (back === template) return undefined;
  const want = template.split('\n');
  const got = back.split('\n');
  const index = want.findIndex((line, i) => line !== got[i]);
  const line = index === -1 ? want.length : index + 1;
  // A `%}` or `{%` inside a mustache or comment cannot be told apart from the stored form's own delimiters.
  return `line ${line} would not read back as written from Parameter Store's {% %} form (a "{%" or "%}" inside a mustache, comment or literal is ambiguous there)`;
}
