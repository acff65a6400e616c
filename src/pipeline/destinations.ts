import type { Config } from '../base/config.ts';
import type { Destination } from '../channels/channel.ts';

/**
 * Where a notification goes when no routes document says otherwise: the configured Slack
 * channel and the email topic. A channel that is off still gets its destination, so the log
 * line says why it was skipped.
 */
export function configuredDestinations(config: Config): Destination[] {
  return [
    { channel: 'slack', address: config.slackChannel ?? '', mention: '', route: 'default' },
    { channel: 'email', address: config.snsTopicArn ?? '', mention: '', route: 'default' },
  ];
}
