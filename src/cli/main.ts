/**
 * `clientvpn-notifier`: preview, validate, pull and push the Parameter Store templates and the
 * routes document, test routing, and send a test notification. This file only dispatches: each command lives in commands/.
 * Exit codes: 0 success, 1 a finding or a failed delivery, 2 a usage error.
 * User mistakes get one clear line, never a stack trace.
 */
import { loadTemplateEngine } from '../render/compile.ts';
import { parseOptions } from './args.ts';
import type { Command } from './commands/command.ts';
import { previewCommand } from './commands/templates-preview.ts';
import { pullCommand } from './commands/templates-pull.ts';
import { pushCommand } from './commands/templates-push.ts';
import { validateCommand } from './commands/templates-validate.ts';
import { routesPullCommand } from './commands/routes-pull.ts';
import { routesPushCommand } from './commands/routes-push.ts';
import { routesTestCommand } from './commands/routes-test.ts';
import { routesValidateCommand } from './commands/routes-validate.ts';
import { testNotificationCommand } from './commands/test-notification.ts';
import { EXIT, Failure, UsageError, type CliIo } from './io.ts';

export type { CliIo };

const USAGE = `Usage: clientvpn-notifier <command> [options]

Commands:
  templates preview    render local templates of one kind and print what Slack (text and Block Kit
                       blocks, with a Block Kit Builder link) and SNS would receive
  templates validate   check templates (local or in Parameter Store) against sample events and
                       connection log entries, hostile ones included
  templates pull       write the templates in Parameter Store to .hbs files
  templates push       validate, show the diff, and (with --yes) write templates to Parameter Store
  routes pull          write the routes document (Parameter Store) to routes.json, pretty-printed
  routes validate      check a routes document: errors name their JSON path
  routes push          validate, show the diff, and (with --yes) write the routes document
  routes test          show which routes match an event or a log entry, which Slack channels
                       (with mention) are posted to, and whether email goes out
  test-notification    send one real notification through the configured channels

The templates commands take --kind connect|disconnect|connect-failed|all (preview: connect by
default; validate, pull and push: all). Files mirror the parameter names: slack.hbs,
email-subject.hbs, email-body.hbs, slack-blocks.hbs, and the same under disconnect/ and
connect-failed/ (the layout of the repo's templates/ folder).

Run "clientvpn-notifier <command> --help" for a command's options.
AWS calls use the standard credential chain, --region or AWS_REGION, and AWS_ENDPOINT_URL.`;

const TEMPLATE_COMMANDS: Readonly<Record<string, Command>> = {
  preview: previewCommand,
  validate: validateCommand,
  pull: pullCommand,
  push: pushCommand,
};

const ROUTES_COMMANDS: Readonly<Record<string, Command>> = {
  pull: routesPullCommand,
  validate: routesValidateCommand,
  push: routesPushCommand,
  test: routesTestCommand,
};

const GROUPS: Readonly<Record<string, Readonly<Record<string, Command>>>> = { templates: TEMPLATE_COMMANDS, routes: ROUTES_COMMANDS };

const isHelp = (word: string | undefined): boolean => word === undefined || word === '--help' || word === '-h' || word === 'help';

/** The command `argv` names, with its own arguments; undefined when the main help was asked for. */
function resolve(argv: readonly string[]): { command: Command; args: string[] } | undefined {
  const [first, ...rest] = argv;
  const group = first !== undefined && Object.hasOwn(GROUPS, first) ? GROUPS[first] : undefined;
  if (group) {
    const [sub, ...args] = rest;
    if (isHelp(sub) && sub !== 'help') return undefined;
    const command = sub !== undefined && Object.hasOwn(group, sub) ? group[sub] : undefined;
    if (!command) throw new UsageError(`unknown ${first} command "${sub}" (${Object.keys(group).join(', ')})`);
    return { command, args };
  }
  if (first === 'test-notification') return { command: testNotificationCommand, args: rest };
  if (isHelp(first)) return undefined;
  throw new UsageError(`unknown command "${first}"`);
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    await loadTemplateEngine();
    const resolved = resolve(argv);
    if (!resolved) {
      io.out(USAGE);
      return EXIT.ok;
    }
    const values = parseOptions(resolved.args, resolved.command.options);
    if (values.help) {
      io.out(resolved.command.usage);
      return EXIT.ok;
    }
    return await resolved.command.run(values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err('Run "clientvpn-notifier --help" for usage.');
      return EXIT.usage;
    }
    // A Failure's message is written for the operator; anything else keeps its error name.
    if (error instanceof Failure) io.err(`error: ${error.message}`);
    else io.err(`error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return EXIT.finding;
  }
}
