import { parseConfig } from '../../base/config.ts';
import { readJsonFile } from '../../local/files.ts';
import { BUILT_IN_ROUTES, type RoutesDocument } from '../../routing/document.ts';
import { evaluateRoutes } from '../../routing/evaluate.ts';
import { parseRoutes } from '../../routing/parse.ts';
import { stringOption } from '../args.ts';
import { Failure, UsageError, type CliIo, type OptionValues } from '../io.ts';
import { readParameter, ssmClient } from '../parameter-store.ts';
import { readRoutesFile, routesParameterName } from '../routes-io.ts';
import { decisionReport, subjectOf, UNSET_FALLBACK_CHANNEL } from '../routes-report.ts';
import type { Command } from './command.ts';

/** The document the functions would route with: a local file must be valid; a stored one falls back as in Lambda. */
async function loadDocument(values: OptionValues, io: CliIo): Promise<RoutesDocument> {
  const file = stringOption(values, 'file');
  if (file !== undefined) {
    const parsed = parseRoutes(readRoutesFile(file));
    if (!parsed.ok) {
      for (const error of parsed.errors) io.err(`error: ${error}`);
      throw new Failure(`${file} is not a valid routes document; fix it first ("routes validate --file ${file}")`);
    }
    io.out(`routes: ${file}`);
    return parsed.routes;
  }
  const name = routesParameterName(values, io);
  const stored = await readParameter(ssmClient(values, io), name);
  if (stored === undefined) {
    io.out(`routes: ${name} is not in Parameter Store: the built-in document (the functions use it too)`);
    return BUILT_IN_ROUTES;
  }
  const parsed = parseRoutes(stored.value);
  if (!parsed.ok) {
    for (const error of parsed.errors) io.err(`warning: ${error}`);
    io.out(`routes: ${name} is invalid: the built-in document (the functions log the errors above and use it too)`);
    return BUILT_IN_ROUTES;
  }
  io.out(`routes: ${name} (Parameter Store)`);
  return parsed.routes;
}

function groupsOption(values: OptionValues): string[] | undefined {
  const raw = stringOption(values, 'groups');
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group.length > 0);
}

export const routesTestCommand: Command = {
  usage: `Usage: clientvpn-notifier routes test --event FILE [--file routes.json | --name N] [--groups a,b]

Shows who would hear about one notification: the routes that match, the deciding route (the SNS
"route" attribute), each Slack channel with its mention, and whether an email goes out.

  --event FILE  a connect event (contract section 3), or a connection log entry (section 11,
                recognised by its "connection-log-type" key; classified as connection-events
                does: an entry that notifies nobody says so and why)
  --file FILE   the routes document to test (must be valid); without it, the routes parameter
                (--name, default ROUTES_PARAMETER or /clientvpn-notifier/routes) is read, with
                the functions' fallback to the built-in document when it is missing or invalid
  --groups a,b  the groups to route with: a log entry carries none (a disconnect uses its
                connect's groups when the session table knows them), so none are assumed

A route without a channel posts to SLACK_CHANNEL, read from this shell.`,
  options: { event: { type: 'string' }, file: { type: 'string' }, name: { type: 'string' }, groups: { type: 'string' } },
  async run(values, io) {
    const eventFile = stringOption(values, 'event');
    if (eventFile === undefined) throw new UsageError('--event FILE is required (a connect event or a connection log entry, as JSON)');
    if (values.file !== undefined && values.name !== undefined) throw new UsageError('use either --file or --name, not both');
    const event = readJsonFile(eventFile);
    const { config } = parseConfig(io.env);
    const reading = subjectOf(event, groupsOption(values), config.timeZone);
    if (!reading.ok) {
      if (reading.notified === false) {
        io.out(`nobody hears about it: connection-events skips this entry (${reading.reason})`);
        return 0;
      }
      throw new Failure(`${eventFile}: ${reading.reason}`);
    }
    const doc = await loadDocument(values, io);
    const fallback = io.env.SLACK_CHANNEL?.trim() || undefined;
    const decision = evaluateRoutes(doc, reading.subject, fallback ?? UNSET_FALLBACK_CHANNEL);
    for (const line of decisionReport(reading, decision, fallback)) io.out(line);
    return 0;
  },
};
