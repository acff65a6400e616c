/** Option parsing and the option checks more than one command needs. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PARAMETER_PATH_PATTERN } from '../base/contract.ts';
import { UsageError, type CliIo, type OptionValues } from './io.ts';
import { readTemplateDir } from './template-files.ts';
import { fileOf } from './template-keys.ts';

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

/**
 * The `.hbs` files of `keys` in `--dir` (default `templates`), by template name. None of them
 * at all is a usage error unless `allowNone`; a `.hbs` file that is no template's gets a warning.
 */
export function readTemplateFiles(values: OptionValues, keys: readonly string[], io: CliIo, allowNone = false): Record<string, string> {
  const dir = stringOption(values, 'dir') ?? 'templates';
  const { templates, strays } = readTemplateDir(dir, keys);
  for (const stray of strays) io.err(`warning: ${dir}/${stray} is not a template file and is ignored (template files: slack.hbs, disconnect/slack.hbs, … see --help)`);
  if (Object.keys(templates).length === 0 && allowNone) io.err(`note: no ${keys.map(fileOf).join(', ')} in ${dir}: the bundled defaults are shown`);
  else if (Object.keys(templates).length === 0) {
    const expected = keys.length > 4 ? `${keys.slice(0, 4).map(fileOf).join(', ')}, …` : keys.map(fileOf).join(', ');
    throw new UsageError(`no templates in ${dir} (expected ${expected})`);
  }
  return templates;
}
