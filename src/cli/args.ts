/** Option parsing and the option checks more than one command needs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PARAMETER_PATH_PATTERN } from '../base/contract.ts';
import { readTemplateDir } from '../local/files.ts';
import { TEMPLATE_NAMES, type StoredTemplates } from '../sources/templates.ts';
import { UsageError, type CliIo, type OptionValues } from './io.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Every command also takes --help and --region. Unknown options and positionals are usage errors. */
export function parseOptions(argv: string[], options: OptionSpec): OptionValues {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' }, region: { type: 'string' } }, strict: true, allowPositionals: false })
      .values as OptionValues;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** `--path`, without trailing slashes, checked against the contract's parameter-path rule. */
export function requirePath(values: OptionValues): string {
  const path = stringOption(values, 'path')?.replace(/\/+$/, '');
  if (path === undefined || !PARAMETER_PATH_PATTERN.test(path)) throw new UsageError('--path must be a Parameter Store path like /clientvpn-notifier/templates');
  return path;
}

/** `--region`, else the shell's AWS_REGION / AWS_DEFAULT_REGION. */
export function regionOf(values: OptionValues, io: CliIo): string | undefined {
  return stringOption(values, 'region') ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
}

/** The `.hbs` files in `--dir` (default `templates`); none at all is a usage error. */
export function readTemplateFiles(values: OptionValues): StoredTemplates {
  const dir = stringOption(values, 'dir') ?? 'templates';
  const found = readTemplateDir(dir);
  if (Object.keys(found).length === 0) throw new UsageError(`no templates in ${dir} (expected ${TEMPLATE_NAMES.map((n) => `${n}.hbs`).join(', ')})`);
  return found;
}
