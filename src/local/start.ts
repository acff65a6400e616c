/**
 * `npm start`: runs the real connect handler on a sample connection, with the bundled
 * templates (or `--dir`), and prints exactly what Slack and SNS would receive. No AWS account,
 * no network: the Slack client's HTTP request and the SNS Publish input are captured instead
 * of sent.
 */
import { errorMessage } from '../base/errors.ts';
import { parseArgs } from 'node:util';
import { parseConfig } from '../base/config.ts';
import { runLocalAction } from './actions.ts';
import { capturingChannels, localConfig } from './capture.ts';
import { runLocalEvent } from './events.ts';
import { SAMPLE_EVENT } from './samples.ts';
import { createConnectHandler } from '../handler/connect.ts';
import type { LogLine } from '../base/log.ts';
import type { StoredTemplates } from '../sources/templates.ts';
import { readJsonFile, readTemplateDir, UsageError } from './files.ts';

export { UsageError };
import { toStoredForm } from '../render/stored-form.ts';

export { SAMPLE_EVENT };

const USAGE = `Usage: npm start -- [--kind connect|disconnect|connect-failed] [--event FILE] [--dir DIR]
       npm start -- --action who|disconnect

Runs the product's code locally on a sample and prints what Slack, SNS and EC2 would receive.
Nothing is sent anywhere.

  --kind KIND     connect (default): the connect handler on a Client VPN connect event;
                  disconnect: the connect handler, then connection-events on its disconnect
                  (the thread reply and the update of the connect message);
                  connect-failed: connection-events on a failed attempt
  --event FILE    the connect event, or with --kind disconnect|connect-failed a connection log
                  entry, as JSON (default: a built-in sample)
  --dir DIR       render the .hbs templates in DIR instead of the bundled defaults
                  (same layout as templates/: slack.hbs, disconnect/slack.hbs, ...)
  --action ACT    slack-actions on a correctly signed sample request: who (/vpn who) or
                  disconnect (the Disconnect button)
  --help          this text

The configuration variables of the function apply (TIME_ZONE, SLACK_CHANNEL, ...).`;

/** .hbs files are plain Handlebars; hand them to the handler in stored form, as Parameter Store would. */
function readTemplates(dir: string): StoredTemplates {
  const found: Record<string, string> = {};
  for (const [name, text] of Object.entries(readTemplateDir(dir))) {
    try {
      found[name] = toStoredForm(text);
    } catch (error) {
      throw new UsageError(`${dir}/${name}.hbs: ${(error as Error).message}`);
    }
  }
  return found;
}

export interface LocalPreview {
  /** The Slack request, as the Web API client would send it (token masked). */
  readonly slack: string;
  /** The SNS Publish input. */
  readonly sns: string;
  readonly response: unknown;
  readonly logs: readonly LogLine[];
  readonly warnings: readonly string[];
}

/** Runs the handler on `event` with `stored` templates, capturing instead of sending. */
export async function previewLocal(event: unknown, stored: StoredTemplates, env: NodeJS.ProcessEnv, options: { showBlocks?: boolean } = {}): Promise<LocalPreview> {
  const parsed = parseConfig(env);
  const config = localConfig(parsed.config);
  const { channels, printed } = capturingChannels(config, options);
  const logs: LogLine[] = [];
  const hasStored = Object.keys(stored).length > 0;
  const handler = createConnectHandler({
    config,
    settings: { get: async () => ({ value: { templates: stored }, source: hasStored ? 'fetched' : 'none' }) },
    channels,
    log: (line) => logs.push(line),
  });
  const response = await handler(event, { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'local' });
  return { slack: printed.slack.join('\n'), sns: printed.sns.join('\n'), response, logs, warnings: parsed.warnings };
}

export async function runLocal(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { event: { type: 'string' }, dir: { type: 'string' }, kind: { type: 'string' }, action: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    out(USAGE);
    return;
  }
  if (values.action !== undefined) {
    await runLocalAction(values.action, out, env);
    return;
  }
  if (values.kind !== undefined && values.kind !== 'connect') {
    if (values.kind !== 'disconnect' && values.kind !== 'connect-failed') throw new UsageError(`--kind must be connect, disconnect or connect-failed (got ${JSON.stringify(values.kind)})`);
    const entry = values.event ? readJsonFile(values.event) : undefined;
    const stored = values.dir ? readTemplates(values.dir) : {};
    await runLocalEvent(values.kind, entry, stored, env, out);
    return;
  }
  const event = values.event ? readJsonFile(values.event) : SAMPLE_EVENT;
  const stored = values.dir ? readTemplates(values.dir) : {};
  const preview = await previewLocal(event, stored, env);
  for (const warning of preview.warnings) out(`warning: ${warning}`);
  out(preview.slack);
  out('');
  out(preview.sns);
  out('');
  out(`Answer to Client VPN: ${JSON.stringify(preview.response)}`);
  for (const line of preview.logs) out(`Log: ${JSON.stringify(line, (key, value) => (key === '_aws' ? undefined : value))}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  runLocal(process.argv.slice(2), process.env, (line) => console.log(line)).catch((error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(`error: ${errorMessage(error)}`);
    if (usage) console.error('Run `npm start -- --help` for usage.');
    process.exitCode = usage ? 2 : 1;
  });
}
