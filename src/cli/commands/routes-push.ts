import { parseRoutes } from '../../routing/parse.ts';
import { lineDiff, withContext } from '../diff.ts';
import { Failure } from '../io.ts';
import { describeError, readParameter, readTier, ssmClient, writeParameter } from '../parameter-store.ts';
import { tierToWrite } from '../push-plan.ts';
import { readRoutesFile, routesFileName, routesParameterName } from '../routes-io.ts';
import { prettyDocument, sameDocument, sizeProblem, unreachableRoutes } from '../routes-report.ts';
import { tierFor } from '../validate.ts';
import type { Command } from './command.ts';

export const routesPushCommand: Command = {
  usage: `Usage: clientvpn-notifier routes push [--name N] [--file routes.json] [--yes] [--region R]

Validates --file (default: routes.json) exactly as "routes validate" does, shows the difference
with the document in the routes parameter (--name, default ROUTES_PARAMETER or
/clientvpn-notifier/routes), and with --yes writes the file as written (a String parameter,
with the tier its size needs; a parameter that is Advanced stays Advanced). An invalid document
is never pushed. A document that differs only in formatting is not rewritten. Right before
writing, the parameter is read again: if it changed since the diff was shown, nothing is
written. The functions pick the change up within CACHE_TTL_SECONDS.`,
  options: { name: { type: 'string' }, file: { type: 'string' }, yes: { type: 'boolean' } },
  async run(values, io) {
    const name = routesParameterName(values, io);
    const file = routesFileName(values);
    const text = readRoutesFile(file);
    const parsed = parseRoutes(text);
    if (!parsed.ok) {
      for (const error of parsed.errors) io.out(`error: ${error}`);
      io.err(`push refused: ${file} is not a valid routes document (${parsed.errors.length} error(s) above); nothing was written`);
      return 1;
    }
    const size = sizeProblem(text);
    if (size !== undefined) throw new Failure(`push refused: ${file}: ${size}; nothing was written`);
    for (const warning of unreachableRoutes(parsed.routes)) io.out(`warning: ${warning}`);

    const ssm = ssmClient(values, io);
    const before = await readParameter(ssm, name);
    if (before !== undefined && before.type !== 'String') throw new Failure(`push refused: ${name} is a ${before.type} parameter, not a String one (contract section 13); nothing was written`);
    if (before !== undefined && sameDocument(before.value, text)) {
      io.out(`${name}: unchanged`);
      io.out('nothing to push');
      return 0;
    }
    io.out(`--- ${name}${before === undefined ? ' (new)' : ''}`);
    for (const line of withContext(lineDiff(before === undefined ? '' : prettyDocument(before.value), prettyDocument(text)))) io.out(line);
    if (!values.yes) {
      io.out('the routes document would change; run again with --yes to write it');
      return 0;
    }
    // Someone else may have pushed since the diff above was read: writing now would silently undo their change.
    const again = await readParameter(ssm, name);
    if (again?.value !== before?.value) {
      io.err(`push stopped: ${name} changed in Parameter Store after the diff above was read; nothing was written. Run push again to see the current diff.`);
      return 1;
    }
    const currentTier = await readTier(ssm, name);
    const tier = tierToWrite(text, currentTier);
    let written: string;
    try {
      written = await writeParameter(ssm, name, text, tier);
    } catch (error) {
      throw new Failure(`cannot write ${name}: ${describeError(error)}; nothing was written`);
    }
    const kept = tier !== tierFor(text);
    io.out(`${name}: written (${written} tier)${kept ? '; it was Advanced already and an Advanced parameter is never moved back to Standard' : ''}`);
    io.out('the functions pick the change up within CACHE_TTL_SECONDS');
    return 0;
  },
};
