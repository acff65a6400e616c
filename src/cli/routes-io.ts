/** Where the routes commands read and write: the routes parameter and the local routes file. */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../base/config.ts';
import { PARAMETER_PATH_PATTERN } from '../base/contract.ts';
import { stringOption } from './args.ts';
import { UsageError, type CliIo, type OptionValues } from './io.ts';

export const DEFAULT_ROUTES_FILE = 'routes.json';

/** `--name`, else ROUTES_PARAMETER from the shell, else the contract's default (section 13). */
export function routesParameterName(values: OptionValues, io: CliIo): string {
  const name = stringOption(values, 'name');
  if (name === undefined) return parseConfig(io.env).config.routesParameter;
  if (!PARAMETER_PATH_PATTERN.test(name)) throw new UsageError('--name must be a Parameter Store name like /clientvpn-notifier/routes');
  return name;
}

export function routesFileName(values: OptionValues): string {
  return stringOption(values, 'file') ?? DEFAULT_ROUTES_FILE;
}

/** The routes file as written; a file that cannot be read is a usage error. */
export function readRoutesFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
