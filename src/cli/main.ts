/**
 * `clientvpn-notifier`: preview, validate, pull and push the Parameter Store templates, and send
 * a test notification. Exit codes: 0 success, 1 a finding or a failed delivery, 2 a usage error.
 * User mistakes get one clear line, never a stack trace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseConfig } from '../base/config.ts';
import { runTestNotification } from './run-notification.ts';
import { readJsonFile, readTemplateDir, UsageError } from '../local/files.ts';
import { previewLocal, SAMPLE_EVENT } from '../local/start.ts';
import { loadTemplateEngine } from '../render/compile.ts';
import { fromStoredForm, toStoredForm } from '../render/stored-form.ts';
import { parameterName, TEMPLATE_NAMES, type TemplateName } from '../sources/templates.ts';
import { lineDiff } from './diff.ts';
import { tierFor, validateTemplate, type Finding } from './validate.ts';

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

class Failure extends Error {}

const HELP: Record<string, string> = {
  main: `Usage: clientvpn-notifier <command> [options]

Commands:
  templates preview    render local templates and print what Slack and SNS would receive
  templates validate   check templates (local or in Parameter Store) against sample events
  templates pull       write the templates in Parameter Store to .hbs files
  templates push       validate, show the diff, and (with --yes) write templates to Parameter Store
  test-notification    send one real notification through the configured channels

Run "clientvpn-notifier <command> --help" for a command's options.
AWS calls use the standard credential chain, --region or AWS_REGION, and AWS_ENDPOINT_URL.`,
  preview: `Usage: clientvpn-notifier templates preview [--dir templates] [--event file.json] [--channel slack|email]

Renders the .hbs templates in --dir (default: templates) with the handler's own rendering code
and prints what Slack and SNS would receive. Nothing is sent.`,
  validate: `Usage: clientvpn-notifier templates validate [--dir templates | --from-ssm --path P] [--strict]

Compiles every template and renders it against built-in sample events (missing fields, long
values, <!channel>, Japanese, control characters). Errors exit 1; warnings (a subject that would
be cut, a value that needs the Advanced tier) exit 0, or 1 with --strict.`,
  pull: `Usage: clientvpn-notifier templates pull --path P [--dir templates] [--region R]

Reads <P>/slack, <P>/email-subject and <P>/email-body from Parameter Store and writes them to
--dir as plain Handlebars (.hbs), converted back from the stored {% %} form.`,
  push: `Usage: clientvpn-notifier templates push --path P [--dir templates] [--yes] [--region R]

Validates the .hbs files in --dir, shows the difference with what is stored, and with --yes
writes the changed ones in stored form ({% %}), with the tier their size needs. A template that
does not validate is never pushed.`,
  'test-notification': `Usage: clientvpn-notifier test-notification [--event file.json]

Sends one real notification through the channels configured by the function's environment
variables (SNS_TOPIC_ARN, SLACK_TOKEN_SECRET_ID, SLACK_CHANNEL, TEMPLATE_PARAMETER_PATH, ...),
read from this shell, and reports each channel's outcome. Exit 1 if any channel failed.`,
};

function parse(argv: string[], options: ParseArgsConfig['options']) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' }, region: { type: 'string' } }, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function readDir(dir: string): Partial<Record<TemplateName, string>> {
  const found = readTemplateDir(dir);
  if (Object.keys(found).length === 0) throw new UsageError(`no templates in ${dir} (expected ${TEMPLATE_NAMES.map((n) => `${n}.hbs`).join(', ')})`);
  return found;
}

/** .hbs files are plain Handlebars; the handler reads the stored form, so convert as a push would. */
function asStored(templates: Partial<Record<TemplateName, string>>): Partial<Record<TemplateName, string>> {
  const out: Partial<Record<TemplateName, string>> = {};
  for (const [name, source] of Object.entries(templates) as [TemplateName, string][]) {
    try {
      out[name] = toStoredForm(source);
    } catch (error) {
      throw new Failure(`${name}: ${(error as Error).message}`);
    }
  }
  return out;
}

function requirePath(values: Record<string, unknown>): string {
  const path = values.path;
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9_.-]+)+\/?$/.test(path)) throw new UsageError('--path must be a Parameter Store path like /clientvpn-notifier/templates');
  return path.replace(/\/+$/, '');
}

function ssmClient(values: Record<string, unknown>, io: CliIo): SSMClient {
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no AWS region: pass --region or set AWS_REGION');
  return new SSMClient({ region, maxAttempts: 3 });
}

async function readStored(ssm: SSMClient, path: string): Promise<Partial<Record<TemplateName, string>>> {
  const names = TEMPLATE_NAMES.map((name) => parameterName(path, name));
  let out;
  try {
    out = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }), { abortSignal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new Failure(`cannot read ${path} from Parameter Store: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const found: Partial<Record<TemplateName, string>> = {};
  for (const parameter of out.Parameters ?? []) {
    const name = TEMPLATE_NAMES.find((candidate) => parameterName(path, candidate) === parameter.Name);
    if (name && typeof parameter.Value === 'string') found[name] = parameter.Value;
  }
  return found;
}

function report(findings: Finding[], io: CliIo, checked: string[]): { errors: number; warnings: number } {
  for (const finding of findings) io.out(`${finding.severity}: ${finding.template}: ${finding.message}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  io.out(`${checked.length} template(s) checked (${checked.join(', ')}): ${errors} error(s), ${warnings} warning(s)`);
  return { errors, warnings };
}

async function templatesCommand(sub: string | undefined, argv: string[], io: CliIo): Promise<number> {
  switch (sub) {
    case 'preview': {
      const values = parse(argv, { dir: { type: 'string' }, event: { type: 'string' }, channel: { type: 'string' } });
      if (values.help) return help('preview', io);
      const channel = values.channel as string | undefined;
      if (channel && channel !== 'slack' && channel !== 'email') throw new UsageError('--channel must be slack or email');
      const templates = readDir((values.dir as string | undefined) ?? 'templates');
      const event = values.event ? readJsonFile(values.event as string) : SAMPLE_EVENT;
      const preview = await previewLocal(event, asStored(templates), io.env);
      for (const line of preview.logs) {
        const fallbacks = Object.entries((line.templates as Record<string, string> | undefined) ?? {}).filter(([key]) => key.endsWith('Error'));
        for (const [key, reason] of fallbacks) io.err(`warning: ${key.replace(/Error$/, '')} template not used (bundled default shown instead): ${reason}`);
      }
      if (channel !== 'email') io.out(preview.slack);
      if (!channel) io.out('');
      if (channel !== 'slack') io.out(preview.sns);
      return 0;
    }
    case 'validate': {
      const values = parse(argv, { dir: { type: 'string' }, 'from-ssm': { type: 'boolean' }, path: { type: 'string' }, strict: { type: 'boolean' } });
      if (values.help) return help('validate', io);
      if (values['from-ssm'] && values.dir) throw new UsageError('use either --dir or --from-ssm, not both');
      const templates = values['from-ssm']
        ? await readStored(ssmClient(values, io), requirePath(values))
        : readDir((values.dir as string | undefined) ?? 'templates');
      const checked = Object.keys(templates);
      const zone = parseConfig(io.env).config.timeZone;
      const form = values['from-ssm'] ? 'stored' : 'handlebars';
      const findings = Object.entries(templates).flatMap(([name, source]) => validateTemplate(name as TemplateName, source, zone, form));
      const { errors, warnings } = report(findings, io, checked);
      return errors > 0 || (values.strict && warnings > 0) ? 1 : 0;
    }
    case 'pull': {
      const values = parse(argv, { path: { type: 'string' }, dir: { type: 'string' } });
      if (values.help) return help('pull', io);
      const path = requirePath(values);
      const dir = (values.dir as string | undefined) ?? 'templates';
      const stored = await readStored(ssmClient(values, io), path);
      mkdirSync(dir, { recursive: true });
      for (const name of TEMPLATE_NAMES) {
        const value = stored[name];
        if (value === undefined) {
          io.out(`${parameterName(path, name)}: not in Parameter Store (the bundled default is used); ${name}.hbs left as it is`);
          continue;
        }
        writeFileSync(join(dir, `${name}.hbs`), fromStoredForm(value));
        io.out(`${parameterName(path, name)} -> ${join(dir, `${name}.hbs`)}`);
      }
      return 0;
    }
    case 'push': {
      const values = parse(argv, { path: { type: 'string' }, dir: { type: 'string' }, yes: { type: 'boolean' } });
      if (values.help) return help('push', io);
      const path = requirePath(values);
      const templates = readDir((values.dir as string | undefined) ?? 'templates');
      const zone = parseConfig(io.env).config.timeZone;
      const findings = Object.entries(templates).flatMap(([name, source]) => validateTemplate(name as TemplateName, source, zone));
      const { errors } = report(findings, io, Object.keys(templates));
      if (errors > 0) {
        io.err('push refused: fix the errors above first; nothing was written');
        return 1;
      }
      const ssm = ssmClient(values, io);
      const stored = await readStored(ssm, path);
      const changes: [TemplateName, string][] = [];
      for (const [name, source] of Object.entries(templates) as [TemplateName, string][]) {
        const next = toStoredForm(source);
        const current = stored[name];
        if (current !== undefined && fromStoredForm(current) === source) {
          io.out(`${parameterName(path, name)}: unchanged`);
          continue;
        }
        io.out(`--- ${parameterName(path, name)}${current === undefined ? ' (new)' : ''}`);
        for (const line of lineDiff(current === undefined ? '' : fromStoredForm(current), source)) if (!line.startsWith('  ')) io.out(line);
        changes.push([name, next]);
      }
      if (changes.length === 0) {
        io.out('nothing to push');
        return 0;
      }
      if (!values.yes) {
        io.out(`${changes.length} template(s) would change; run again with --yes to write them`);
        return 0;
      }
      for (const [name, value] of changes) {
        // The stored form never holds {{…}}: Parameter Store would refuse it anyway.
        if (/\{\{[\s\S]*?\}\}/.test(value)) throw new Failure(`${name}: stored form still contains {{…}}; not written`);
        try {
          await ssm.send(
            new PutParameterCommand({ Name: parameterName(path, name), Value: value, Type: 'String', Tier: tierFor(value), Overwrite: true }),
            { abortSignal: AbortSignal.timeout(15_000) },
          );
        } catch (error) {
          throw new Failure(`cannot write ${parameterName(path, name)}: ${(error as Error).name}: ${(error as Error).message}`);
        }
        io.out(`${parameterName(path, name)}: written (${tierFor(value)} tier)`);
      }
      io.out('the function picks the change up within CACHE_TTL_SECONDS');
      return 0;
    }
    case undefined:
    case '--help':
    case '-h':
      return help('main', io);
    default:
      throw new UsageError(`unknown templates command "${sub}" (preview, validate, pull, push)`);
  }
}

async function testNotification(argv: string[], io: CliIo): Promise<number> {
  const values = parse(argv, { event: { type: 'string' } });
  if (values.help) return help('test-notification', io);
  const event = values.event ? readJsonFile(values.event as string) : { ...SAMPLE_EVENT, 'connection-id': `cvpn-connection-test-${Date.now()}` };
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const { config, warnings } = parseConfig({ ...io.env, ...(region ? { AWS_REGION: region } : {}) });
  for (const warning of warnings) io.err(`warning: ${warning}`);
  const { record, summary } = await runTestNotification(event, config);
  const channels = summary.channels;
  const templates = record.templates ? Object.fromEntries([['read', record.templates.read], ...Object.entries(record.templates.use).map(([name, use]) => [name, use.from === 'stored' ? record.templates?.read : 'bundled-default'])]) : {};
  io.out(`templates: ${JSON.stringify(templates)}`);
  let failed = 0;
  for (const [name, result] of Object.entries(channels)) {
    io.out(`${name}: ${result.status}${result.reason ? ` (${result.reason})` : ''}${result.durationMs !== undefined ? ` in ${result.durationMs} ms` : ''}`);
    if (result.status === 'failed' || result.status === 'timedOut') failed += 1;
  }
  const sent = Object.values(channels).filter((r) => r.status === 'sent').length;
  if (sent === 0 && failed === 0) {
    io.err('no channel is configured: set SNS_TOPIC_ARN, or SLACK_TOKEN_SECRET_ID and SLACK_CHANNEL');
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

function help(topic: string, io: CliIo): number {
  io.out(HELP[topic] ?? HELP.main!);
  return 0;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    await loadTemplateEngine();
    const [command, ...rest] = argv;
    if (command === 'templates') {
      const [sub, ...args] = rest;
      return await templatesCommand(sub, args, io);
    }
    if (command === 'test-notification') return await testNotification(rest, io);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') return help('main', io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      io.err('Run "clientvpn-notifier --help" for usage.');
      return 2;
    }
    if (error instanceof Failure) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  }
}

