import { parseConfig } from '../../base/config.ts';
import { readJsonFile } from '../../local/files.ts';
import { SAMPLE_EVENT } from '../../local/start.ts';
import { regionOf, stringOption } from '../args.ts';
import { sendTestNotification, type TemplatesOutcome } from '../run-handler.ts';
import type { Command } from './command.ts';

/** The templates line as operators know it from the handler's log: `{"read":…,"slack":…,"slackError":…}`. */
function templatesLine(templates: TemplatesOutcome | undefined): string {
  if (!templates) return '{}';
  const fields: Record<string, string> = { read: templates.read };
  if (templates.readError !== undefined) fields.readError = templates.readError;
  for (const use of templates.used) {
    fields[use.template] = use.source;
    if (use.fallbackReason !== undefined) fields[`${use.template}Error`] = use.fallbackReason;
  }
  return JSON.stringify(fields);
}

export const testNotificationCommand: Command = {
  usage: `Usage: clientvpn-notifier test-notification [--event file.json]

Sends one real notification through the channels configured by the function's environment
variables (SNS_TOPIC_ARN, SLACK_TOKEN_SECRET_ID, SLACK_CHANNEL, TEMPLATE_PARAMETER_PATH, ...),
read from this shell, and reports each channel's outcome. Exit 1 if any channel failed.`,
  options: { event: { type: 'string' } },
  async run(values, io) {
    const eventFile = stringOption(values, 'event');
    // A fresh connection id, so the test is not mistaken for (or threaded with) an earlier one.
    const event = eventFile ? readJsonFile(eventFile) : { ...SAMPLE_EVENT, 'connection-id': `cvpn-connection-test-${Date.now()}` };
    const region = regionOf(values, io);
    const { config, warnings } = parseConfig({ ...io.env, ...(region ? { AWS_REGION: region } : {}) });
    for (const warning of warnings) io.err(`warning: ${warning}`);
    const outcome = await sendTestNotification(event, config);
    io.out(`templates: ${templatesLine(outcome.templates)}`);
    let failed = 0;
    for (const result of outcome.channels) {
      io.out(`${result.channel}: ${result.status}${result.reason ? ` (${result.reason})` : ''}${result.durationMs !== undefined ? ` in ${result.durationMs} ms` : ''}`);
      if (result.status === 'failed' || result.status === 'timedOut') failed += 1;
    }
    const sent = outcome.channels.filter((r) => r.status === 'sent').length;
    if (sent === 0 && failed === 0) {
      io.err('no channel is configured: set SNS_TOPIC_ARN, or SLACK_TOKEN_SECRET_ID and SLACK_CHANNEL');
      return 1;
    }
    return failed > 0 ? 1 : 0;
  },
};
