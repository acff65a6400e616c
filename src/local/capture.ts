/**
 * Channels for the local run: the real Slack and email channel code, with the Slack Web API's
 * HTTP request and the SNS Publish input captured and printed instead of sent.
 */
import type { Config } from '../base/config.ts';
import type { ChannelRegistry } from '../channels/channel.ts';
import { EmailChannel, type SnsPublisher } from '../channels/email.ts';
import { SlackChannel } from '../channels/slack.ts';

const indent = (text: string): string => text.replace(/^/gm, '    ');

export interface CapturingChannels {
  readonly channels: ChannelRegistry;
  /** What was "sent", in order, as printable text. */
  readonly printed: { readonly slack: string[]; readonly sns: string[] };
}

/** `showBlocks: false` leaves Block Kit out of the printout (a caller that shows it its own way). */
export function capturingChannels(config: Config, options: { showBlocks?: boolean } = {}): CapturingChannels {
  const printed = { slack: [] as string[], sns: [] as string[] };
  let posts = 0;
  const captureSlack: typeof fetch = async (url, init) => {
    const body = new URLSearchParams(String(init?.body ?? ''));
    const fields = [...body.entries()].filter(([key]) => key !== 'text' && key !== 'blocks');
    const blocks = options.showBlocks === false ? null : body.get('blocks');
    printed.slack.push(
      [
        `Slack: POST ${String(url)}  (Authorization: Bearer ***)`,
        ...fields.map(([key, value]) => `  ${key}: ${value}`),
        '  text:',
        indent(body.get('text') ?? ''),
        ...(blocks ? ['  blocks:', indent(JSON.stringify(JSON.parse(blocks), null, 2))] : []),
      ].join('\n'),
    );
    posts += 1;
    const ts = body.get('ts') ?? `1700000000.${String(posts).padStart(6, '0')}`;
    // Slack answers with the channel's ID; the local run pretends the configured one is an ID.
    return new Response(JSON.stringify({ ok: true, channel: body.get('channel'), ts }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const capturePublish: SnsPublisher = {
    async publish(input) {
      printed.sns.push(
        [
          'SNS: Publish',
          `  TopicArn: ${input.TopicArn}`,
          `  Subject: ${input.Subject}`,
          `  MessageAttributes: ${JSON.stringify(input.MessageAttributes)}`,
          '  Message:',
          indent(input.Message),
        ].join('\n'),
      );
      return 'local-message-id';
    },
  };
  return {
    printed,
    channels: {
      slack: new SlackChannel({ tokenSource: { get: async () => ({ value: 'xoxb-local-run', source: 'cache' }) }, channel: config.slackChannel, apiUrl: config.slackApiUrl, fetch: captureSlack }),
      email: new EmailChannel(capturePublish, config.snsTopicArn),
    },
  };
}

/** The configuration of a local run: a sample topic and channel when none is set. */
export function localConfig(config: Config): Config {
  return Object.freeze({
    ...config,
    snsTopicArn: config.snsTopicArn ?? 'arn:aws:sns:us-east-1:123456789012:clientvpn-notifier-local',
    slackChannel: config.slackChannel ?? 'C0123456789',
    region: config.region || 'us-east-1',
  });
}
