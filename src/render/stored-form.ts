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
