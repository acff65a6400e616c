import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../base/config.ts';
import { templateKey, ALL_TEMPLATE_PARTS } from '../base/contract.ts';
import { channelsFromConfig, warmSnsClient, type ConfiguredChannels } from '../channels/from-config.ts';
import { sqsRetryQueue, type RetryQueue } from '../retry/queue.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { dynamoSessionStore, type SessionStore } from '../sources/sessions.ts';
import { ssmSettingsFetcher, type StoredSettings } from '../sources/templates.ts';

/** A read started during init may take this long; it is only a head start. */
const PREFETCH_TIMEOUT_MS = 5000;

/** The connect kind's templates: the only ones this function renders. */
export const CONNECT_TEMPLATE_KEYS = ALL_TEMPLATE_PARTS.map((part) => templateKey('connect', part));

/**
 * The connect handler's AWS-backed pieces, made once per Lambda instance from the config.
 * Creating SDK clients needs no credentials or network: those are looked up on first use.
 */
export interface ConnectWiring {
  readonly settings: StaleWhileErrorCache<StoredSettings>;
  readonly channels: ConfiguredChannels;
  /** Set when RETRY_QUEUE_URL is. */
  readonly retryQueue: RetryQueue | undefined;
  /** Set when SESSION_TABLE_NAME is. */
  readonly sessions: SessionStore | undefined;
  /**
   * Starts reading settings and the token now (the init phase of a cold start). Resolves once
   * those requests have been handed to the HTTP layer (or after `capMs`), so CPU work can
   * overlap the network wait instead of delaying the send.
   */
  prefetch(capMs?: number): Promise<void>;
  /** The SNS client's cold path, without sending. */
  warmEmailClient(): Promise<void>;
}

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

export function createConnectWiring(config: Config): ConnectWiring {
  // One quick SDK retry at most: the deadline bounds everything, the retry queue does the rest.
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  const ssm = new SSMClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const sns = new SNSClient(clientConfig);
  const settings = new StaleWhileErrorCache(ssmSettingsFetcher(ssm, config.templateParameterPath, CONNECT_TEMPLATE_KEYS, config.routesParameter), {
    ttlMs: config.cacheTtlSeconds * 1000,
  });
  const channels = channelsFromConfig(config, { secrets, sns });
  const retryQueue = config.retryQueueUrl ? sqsRetryQueue(new SQSClient(clientConfig), config.retryQueueUrl) : undefined;
  const sessions = config.sessionTableName ? dynamoSessionStore(new DynamoDBClient(clientConfig), config.sessionTableName) : undefined;

  return {
    settings,
    channels,
    retryQueue,
    sessions,
    async prefetch(capMs = 100) {
      const dispatched = [dispatchSignal(ssm)];
      settings.prefetch(PREFETCH_TIMEOUT_MS);
      if (!channels.slack.disabledReason && channels.token) {
        dispatched.push(dispatchSignal(secrets));
        channels.token.prefetch(PREFETCH_TIMEOUT_MS);
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cap = new Promise((resolve) => {
        timer = setTimeout(resolve, capMs);
      });
      await Promise.race([Promise.all(dispatched), cap]);
      clearTimeout(timer);
    },
    warmEmailClient: () => warmSnsClient(sns, config.snsTopicArn),
  };
}
