/**
 * Reading the operator's own files for `npm start` and the CLI: a mistake here is a usage
 * error with one clear line, never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TEMPLATE_KEYS } from '../base/contract.ts';
import type { TemplateName } from '../sources/templates.ts';

export class UsageError extends Error {}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * The `<name>.hbs` files in `dir` for every template name (`slack.hbs`, `slack-blocks.hbs`,
 * `disconnect/slack.hbs`, …), as written (plain Handlebars); absent files are left out.
 */
export function readTemplateDir(dir: string): Partial<Record<TemplateName, string>> & Record<string, string> {
  if (!existsSync(dir)) throw new UsageError(`no such directory: ${dir}`);
  const found: Record<string, string> = {};
  for (const name of ALL_TEMPLATE_KEYS) {
    const file = join(dir, `${name}.hbs`);
    if (existsSync(file)) found[name] = readFileSync(file, 'utf8');
  }
  return found;
}
