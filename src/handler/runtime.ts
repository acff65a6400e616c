import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { sqsRetryQueue, type RetryQueue } from '../retry/queue.ts';
import type { Config } from '../config.ts';
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
  /** Starts reading templates and the token now, e.g. in the free init phase of a cold start. */
  prefetch(): void;
}

export function createRuntime(config: Config): Runtime {
  // One quick SDK retry at most: the deadline bounds everything, the retry queue does the rest.
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  const ttlMs = config.cacheTtlSeconds * 1000;

  const templates = new StaleWhileErrorCache(ssmTemplateFetcher(new SSMClient(clientConfig), config.templateParameterPath), { ttlMs });
  const token = config.slackTokenSecretId
    ? new StaleWhileErrorCache(secretsManagerTokenFetcher(new SecretsManagerClient(clientConfig), config.slackTokenSecretId), { ttlMs })
    : undefined;
  const slack = new SlackChannel({ tokenSource: token, channel: config.slackChannel, apiUrl: config.slackApiUrl });
  const email = new EmailChannel(snsPublisher(new SNSClient(clientConfig)), config.snsTopicArn);
  const retryQueue = config.retryQueueUrl ? sqsRetryQueue(new SQSClient(clientConfig), config.retryQueueUrl) : undefined;

  return {
    templates,
    token,
    slack,
    email,
    retryQueue,
    prefetch() {
      templates.prefetch(PREFETCH_TIMEOUT_MS);
      if (!slack.disabledReason) token?.prefetch(PREFETCH_TIMEOUT_MS);
    },
  };
}
