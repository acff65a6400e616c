import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { sqsRetryQueue, type RetryQueue } from '../retry/queue.ts';
import type { Config } from '../base/config.ts';
import { EmailChannel, snsPublisher } from '../channels/email.ts';
import { SlackChannel } from '../channels/slack.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { secretsManagerTokenFetcher } from '../sources/slack-token.ts';
import { ssmTemplateFetcher, type StoredTemplates } from '../sources/templates.ts';

/** A read started during init may take this long; it is only a head start. */
const PREFETCH_TIMEOUT_MS = 5000;

/**
 * The AWS-backed pieces of the notifier, made once per Lambda instance from the config.
 * Creating SDK clients needs no credentials or network: those are looked up on first use.
 */
export interface Runtime {
  readonly templates: StaleWhileErrorCache<StoredTemplates>;
  readonly token: StaleWhileErrorCache<string> | undefined;
  readonly slack: SlackChannel;
  readonly email: EmailChannel;
  /** Set when RETRY_QUEUE_URL is. */
  readonly retryQueue: RetryQueue | undefined;
  /**
   * Starts reading templates and the token now, e.g. during the init phase of a cold start.
   * Resolves once those requests have been handed to the HTTP layer (or at most `capMs`), so
   * the caller knows when CPU work can overlap the network wait instead of delaying the send.
   */
  prefetch(capMs?: number): Promise<void>;
  /**
   * Runs a Publish through the SNS client's whole middleware stack (configuration, endpoint,
   * credentials, serialization) and stops it before the HTTP layer: the first real Publish
   * then skips that cold path. Nothing is sent.
   */
  warmEmailClient(): Promise<void>;
}

class DryRunStop extends Error {}

/** Resolves the first time a request of `client` reaches the end of the middleware stack. */
function dispatchSignal(client: SSMClient | SecretsManagerClient): Promise<void> {
  let resolve!: () => void;
  const dispatched = new Promise<void>((r) => {
    resolve = r;
  });
  (client.middlewareStack as { add: (m: unknown, o: object) => void }).add(
    (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
      resolve();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'clientvpnNotifierDispatched' },
  );
  return dispatched;
}

export function createRuntime(config: Config): Runtime {
  // One quick SDK retry at most: the deadline bounds everything, the retry queue does the rest.
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  const ttlMs = config.cacheTtlSeconds * 1000;

  const ssm = new SSMClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const templates = new StaleWhileErrorCache(ssmTemplateFetcher(ssm, config.templateParameterPath), { ttlMs });
  const token = config.slackTokenSecretId ? new StaleWhileErrorCache(secretsManagerTokenFetcher(secrets, config.slackTokenSecretId), { ttlMs }) : undefined;
  const slack = new SlackChannel({ tokenSource: token, channel: config.slackChannel, apiUrl: config.slackApiUrl });
  const sns = new SNSClient(clientConfig);
  const email = new EmailChannel(snsPublisher(sns), config.snsTopicArn);
  const retryQueue = config.retryQueueUrl ? sqsRetryQueue(new SQSClient(clientConfig), config.retryQueueUrl) : undefined;

  return {
    templates,
    token,
    slack,
    email,
    retryQueue,
    async prefetch(capMs = 100) {
      const dispatched = [dispatchSignal(ssm)];
      templates.prefetch(PREFETCH_TIMEOUT_MS);
      if (!slack.disabledReason && token) {
        dispatched.push(dispatchSignal(secrets));
        token.prefetch(PREFETCH_TIMEOUT_MS);
      }
      await Promise.race([Promise.all(dispatched), new Promise((resolve) => setTimeout(resolve, capMs).unref())]);
    },
    async warmEmailClient() {
      if (!config.snsTopicArn) return;
      const command = new PublishCommand({ TopicArn: config.snsTopicArn, Message: 'clientvpn-notifier warm-up: never sent' });
      // This middleware never calls next(): the request cannot reach the HTTP handler.
      command.middlewareStack.add(
        () => async () => {
          throw new DryRunStop('dry run');
        },
        { step: 'finalizeRequest', priority: 'low', name: 'clientvpnNotifierDryRun' },
      );
      await sns.send(command, { abortSignal: AbortSignal.timeout(1000) }).catch(() => undefined);
    },
  };
}
