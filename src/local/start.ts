/**
 * `npm start`: runs the real connect handler on a sample connection, with the bundled
 * templates (or `--dir`), and prints exactly what Slack and SNS would receive. No AWS account,
 * no network: the Slack client's HTTP request and the SNS Publish input are captured instead
 * of sent.
 */
import { parseArgs } from 'node:util';
import { parseConfig, type Config } from '../base/config.ts';
import { EmailChannel, type SnsPublisher } from '../channels/email.ts';
import { SlackChannel } from '../channels/slack.ts';
import { createConnectHandler } from '../handler/connect.ts';
import type { LogLine } from '../base/log.ts';
import type { StoredTemplates, TemplateName } from '../sources/templates.ts';
import { readJsonFile, readTemplateDir, UsageError } from './files.ts';

export { UsageError };
import { toStoredForm } from '../render/stored-form.ts';

export const SAMPLE_EVENT = Object.freeze({
  'connection-id': 'cvpn-connection-0123456789abcdef0',
  'endpoint-id': 'cvpn-endpoint-0abc1234def567890',
  'common-name': 'alice.example.com',
  username: 'alice',
  platform: 'win',
  'platform-version': '10.0.19045',
  'public-ip': '203.0.113.10',
  'client-openvpn-version': '2.6.8',
  groups: 'admins,developers',
  'schema-version': 'v2',
});

const USAGE = `Usage: npm start -- [--event FILE] [--dir DIR]

Runs the connect handler locally on a sample Client VPN connection and prints what Slack
and SNS would receive. Nothing is sent anywhere.

  --event FILE   a Client VPN connect event as JSON (default: a built-in sample)
  --dir DIR      render the .hbs templates in DIR instead of the bundled defaults
  --help         this text

The configuration variables of the function apply (TIME_ZONE, SLACK_CHANNEL, ...).`;

/** .hbs files are plain Handlebars; hand them to the handler in stored form, as Parameter Store would. */
function readTemplates(dir: string): StoredTemplates {
  const found: Record<string, string> = {};
  for (const [name, text] of Object.entries(readTemplateDir(dir)) as [TemplateName, string][]) {
    try {
      found[name] = toStoredForm(text);
    } catch (error) {
      throw new UsageError(`${dir}/${name}.hbs: ${(error as Error).message}`);
    }
  }
  return found;
}

const indent = (text: string): string => text.replace(/^/gm, '    ');

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
export async function previewLocal(event: unknown, stored: StoredTemplates, env: NodeJS.ProcessEnv): Promise<LocalPreview> {
  const parsed = parseConfig(env);
  const config: Config = Object.freeze({
    ...parsed.config,
    snsTopicArn: parsed.config.snsTopicArn ?? 'arn:aws:sns:us-east-1:123456789012:clientvpn-notifier-local',
    slackChannel: parsed.config.slackChannel ?? 'C0123456789',
    region: parsed.config.region || 'us-east-1',
  });

  const printed = { slack: [] as string[], sns: [] as string[] };
  const captureSlack: typeof fetch = async (url, init) => {
    const body = new URLSearchParams(String(init?.body ?? ''));
    const fields = [...body.entries()].filter(([key]) => key !== 'text');
    printed.slack.push(
      `Slack: POST ${String(url)}  (Authorization: Bearer ***)`,
      ...fields.map(([key, value]) => `  ${key}: ${value}`),
      '  text:',
      indent(body.get('text') ?? ''),
    );
    return new Response(JSON.stringify({ ok: true, channel: body.get('channel'), ts: '1700000000.000100' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  const capturePublish: SnsPublisher = {
    async publish(input) {
      printed.sns.push(
        'SNS: Publish',
        `  TopicArn: ${input.TopicArn}`,
        `  Subject: ${input.Subject}`,
        `  MessageAttributes: ${JSON.stringify(input.MessageAttributes)}`,
        '  Message:',
        indent(input.Message),
      );
      return 'local-message-id';
    },
  };

  const logs: LogLine[] = [];
  const hasStored = Object.keys(stored).length > 0;
  const handler = createConnectHandler({
    config,
    settings: { get: async () => ({ value: { templates: stored }, source: hasStored ? 'fetched' : 'none' }) },
    channels: {
      slack: new SlackChannel({
        tokenSource: { get: async () => ({ value: 'xoxb-local-run', source: 'cache' }) },
        channel: config.slackChannel,
        apiUrl: config.slackApiUrl,
        fetch: captureSlack,
      }),
      email: new EmailChannel(capturePublish, config.snsTopicArn),
    },
    log: (line) => logs.push(line),
  });
  const response = await handler(event, { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'local' });
  return { slack: printed.slack.join('\n'), sns: printed.sns.join('\n'), response, logs, warnings: parsed.warnings };
}

export async function runLocal(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { event: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    out(USAGE);
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
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (usage) console.error('Run `npm start -- --help` for usage.');
    process.exitCode = usage ? 2 : 1;
  });
}
