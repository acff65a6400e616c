import { parseRoutes } from '../../routing/parse.ts';
import { UsageError } from '../io.ts';
import { readParameter, ssmClient } from '../parameter-store.ts';
import { readRoutesFile, routesFileName, routesParameterName } from '../routes-io.ts';
import { documentSummary, sizeProblem, unreachableRoutes } from '../routes-report.ts';
import { tierFor } from '../validate.ts';
import type { Command } from './command.ts';

export const routesValidateCommand: Command = {
  usage: `Usage: clientvpn-notifier routes validate [--file routes.json | --from-ssm [--name N]] [--strict]

Checks a routes document (contract section 13) with the functions' own strict parser: unknown
keys, wrong types, malformed mentions, bad channel IDs and endpoint IDs are errors, each naming
its JSON path (routes[1].when.users[0]: ...). Reads --file (default: routes.json), or with
--from-ssm the routes parameter (--name, default ROUTES_PARAMETER or /clientvpn-notifier/routes).
Warnings: routes that can never match, a document that needs the Advanced tier.
Errors exit 1 (the functions would use the built-in document instead); warnings exit 0, or 1
with --strict.`,
  options: { file: { type: 'string' }, 'from-ssm': { type: 'boolean' }, name: { type: 'string' }, strict: { type: 'boolean' } },
  async run(values, io) {
    const fromSsm = values['from-ssm'] === true;
    if (fromSsm && values.file) throw new UsageError('use either --file or --from-ssm, not both');
    let text: string;
    let label: string;
    if (fromSsm) {
      label = routesParameterName(values, io);
      const stored = await readParameter(ssmClient(values, io), label);
      if (stored === undefined) {
        io.out(`${label}: not in Parameter Store; the functions use the built-in document`);
        return 0;
      }
      text = stored.value;
    } else {
      label = routesFileName(values);
      text = readRoutesFile(label);
    }
    const parsed = parseRoutes(text);
    if (!parsed.ok) {
      for (const error of parsed.errors) io.out(`error: ${error}`);
      io.out(`${label}: invalid (${parsed.errors.length} error(s)); the functions would log the errors and use the built-in document instead`);
      return 1;
    }
    const size = sizeProblem(text);
    if (size !== undefined) {
      io.out(`error: ${size}`);
      return 1;
    }
    const warnings = [...unreachableRoutes(parsed.routes), ...(tierFor(text) === 'Advanced' ? [`${Buffer.byteLength(text, 'utf8')} bytes: needs the Advanced tier (over 4096), which costs money; push sets it`] : [])];
    for (const warning of warnings) io.out(`warning: ${warning}`);
    io.out(`${label}: valid, ${parsed.routes.routes.length} route(s), ${warnings.length} warning(s):`);
    for (const line of documentSummary(parsed.routes)) io.out(line);
    return values.strict && warnings.length > 0 ? 1 : 0;
  },
};
