import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../base/config.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import type { EarlyRead, SecretAnswer } from '../sources/early-reads.ts';
import { secretsManagerTokenFetcher } from '../sources/slack-token.ts';
import type { ChannelRegistry } from './channel.ts';
import { EmailChannel, snsPublisher } from './email.ts';
import { SlackChannel } from './slack.ts';

/** The functions' channels, made from the configuration and the SDK clients their entry created. */
export interface ConfiguredChannels {
  readonly registry: ChannelRegistry;
  readonly slack: SlackChannel;
  readonly email: EmailChannel;
  /** The Slack token cache (undefined with no secret configured), for the init prefetch. */
  readonly token: StaleWhileErrorCache<string> | undefined;
}

/** `earlySecret`: the connect handler's cold-start read of the token secret, already under way. */
export function channelsFromConfig(
  config: Config,
  clients: { secrets: SecretsManagerClient; sns: SNSClient; earlySecret?: EarlyRead<SecretAnswer> | undefined },
  allowedSlackChannels?: () => readonly string[],
): ConfiguredChannels {
  const ttlMs = config.cacheTtlSeconds * 1000;
  const token = config.slackTokenSecretId ? new StaleWhileErrorCache(secretsManagerTokenFetcher(clients.secrets, config.slackTokenSecretId, clients.earlySecret), { ttlMs }) : undefined;
  const slack = new SlackChannel({
    tokenSource: token,
    channel: config.slackChannel,
    apiUrl: config.slackApiUrl,
    ...(allowedSlackChannels ? { allowedChannels: allowedSlackChannels } : {}),
  });
  const email = new EmailChannel(snsPublisher(clients.sns), config.snsTopicArn);
  return { registry: Object.freeze({ slack, email }), slack, email, token };
}

class DryRunStop extends Error {}

/**
 * Runs a Publish through the SNS client's whole middleware stack (configuration, endpoint,
 * credentials, serialization) and stops it before the HTTP layer: the first real Publish then
 * skips that cold path. Nothing is sent.
 */
export async function warmSnsClient(sns: SNSClient, topicArn: string | undefined): Promise<void> {
  if (!topicArn) return;
  const command = new PublishCommand({ TopicArn: topicArn, Message: 'clientvpn-notifier warm-up: never sent' });
  // This middleware never calls next(): the request cannot reach the HTTP handler.
  command.middlewareStack.add(
    () => async () => {
      throw new DryRunStop('dry run');
    },
    { step: 'finalizeRequest', priority: 'low', name: 'clientvpnNotifierDryRun' },
  );
  await sns.send(command, { abortSignal: AbortSignal.timeout(1000) }).catch(() => undefined);
}
