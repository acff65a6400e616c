import { writeFileSync } from 'node:fs';
import { parseRoutes } from '../../routing/parse.ts';
import { readParameter, ssmClient } from '../parameter-store.ts';
import { routesFileName, routesParameterName } from '../routes-io.ts';
import { prettyDocument } from '../routes-report.ts';
import type { Command } from './command.ts';

export const routesPullCommand: Command = {
  usage: `Usage: clientvpn-notifier routes pull [--name N] [--file routes.json] [--region R]

Reads the routes document from its String parameter (--name, default ROUTES_PARAMETER or
/clientvpn-notifier/routes) and writes it to --file (default: routes.json) as pretty JSON.
A document that is not JSON is written as stored; an invalid one is written with its errors
listed (the functions use the built-in document until it is fixed).`,
  options: { name: { type: 'string' }, file: { type: 'string' } },
  async run(values, io) {
    const name = routesParameterName(values, io);
    const file = routesFileName(values);
    const stored = await readParameter(ssmClient(values, io), name);
    if (stored === undefined) {
      io.out(`${name}: not in Parameter Store (the functions use the built-in document); ${file} left as it is`);
      return 0;
    }
    const pretty = prettyDocument(stored.value);
    writeFileSync(file, pretty === stored.value ? stored.value : `${pretty}\n`);
    io.out(`${name} -> ${file}`);
    const parsed = parseRoutes(stored.value);
    if (!parsed.ok) {
      for (const error of parsed.errors) io.err(`warning: ${error}`);
      io.err(`warning: the stored document is invalid: the functions log these errors and use the built-in document until it is fixed`);
    }
    return 0;
  },
};
