/**
 * The operator's template directory: `<dir>/slack.hbs`, `<dir>/disconnect/slack-blocks.hbs`, …
 * Files are plain Handlebars. A `.hbs` file that names no template is reported, not silently
 * ignored: `disconnect-slack.hbs` would otherwise look pushed and never be.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENT_KINDS } from '../base/contract.ts';
import { UsageError } from './io.ts';
import { fileOf, parseTemplateKey } from './template-keys.ts';

export interface TemplateFiles {
  /** File contents by template name, for the names asked for that have a file. */
  readonly templates: Readonly<Record<string, string>>;
  /** `.hbs` files in the directory (and its kind folders) that are no template's file. */
  readonly strays: readonly string[];
}

function hbsFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.hbs'));
}

/** Reads the files of `keys` from `dir`; a missing directory is a usage error, missing files are left out. */
export function readTemplateDir(dir: string, keys: readonly string[]): TemplateFiles {
  if (!existsSync(dir)) throw new UsageError(`no such directory: ${dir}`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const templates: Record<string, string> = {};
  for (const key of keys) {
    const file = join(dir, fileOf(key));
    if (existsSync(file)) templates[key] = readFileSync(file, 'utf8');
  }
  const strays = [
    ...hbsFiles(dir).map((name) => name),
    ...EVENT_KINDS.flatMap((kind) => hbsFiles(join(dir, kind)).map((name) => `${kind}/${name}`)),
  ].filter((path) => parseTemplateKey(path.replace(/\.hbs$/, '')) === undefined);
  return { templates, strays };
}

/** Writes one template's file, creating its kind folder; returns the path written. */
export function writeTemplateFile(dir: string, key: string, text: string): string {
  const file = join(dir, fileOf(key));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
