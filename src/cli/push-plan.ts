/**
 * What `templates push` decides, as pure functions: which templates change and into which
 * stored value, which tier each write asks for, and whether Parameter Store moved under us.
 */
import { fromStoredForm, storedFormProblem, toStoredForm } from '../render/stored-form.ts';
import type { StoredTemplates } from '../sources/templates.ts';
import { tierFor } from './validate.ts';

export type Tier = 'Standard' | 'Advanced';

export interface PlannedTemplate {
  readonly name: string;
  /** The .hbs file as written (plain Handlebars). */
  readonly source: string;
  /** The value to store: `source` in `{% %}` form, proven to read back as `source`. */
  readonly value: string;
  /** What Parameter Store holds now, read back as Handlebars; undefined when it holds nothing. */
  readonly current: string | undefined;
  readonly changed: boolean;
}

/**
 * One entry per file, in file order. Throws when a file has no stored form that reads back
 * exactly as written: validation refuses those first, this keeps the promise even if it did not.
 */
export function planPush(files: StoredTemplates, stored: StoredTemplates): PlannedTemplate[] {
  return (Object.entries(files) as [string, string][]).map(([name, source]) => {
    const problem = storedFormProblem(source);
    if (problem !== undefined) throw new Error(`${name}: ${problem}`);
    const value = toStoredForm(source);
    const current = stored[name] === undefined ? undefined : fromStoredForm(stored[name]);
    return { name, source, value, current, changed: current !== source };
  });
}

/**
 * The tier to write `value` with: what its size needs, but never Standard for a parameter that
 * is Advanced now. Parameter Store does not move an Advanced parameter back to Standard (at
 * best the write is refused), and an operator who chose Advanced did so on purpose.
 */
export function tierToWrite(value: string, current: string | undefined): Tier {
  return current === 'Advanced' ? 'Advanced' : tierFor(value);
}

/** The names among `names` whose stored value (or absence) differs between two reads. */
export function changedSince(before: StoredTemplates, after: StoredTemplates, names: readonly string[]): string[] {
  return names.filter((name) => before[name] !== after[name]);
}
