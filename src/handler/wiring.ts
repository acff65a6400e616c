import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Config } from '../base/config.ts';
import { CONNECT_TEMPLATE_KEYS } from '../base/contract.ts';
import { channelsFromConfig, warmSnsClient, type ConfiguredChannels } from '../channels/from-config.ts';
import { sqsRetryQueue, type RetryQueue } from '../retry/queue.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { ON_THE_WIRE_CAP_MS, READ_AHEAD_TIMEOUT_MS, type EarlyReads } from '../sources/early-reads.ts';
import { dynamoSessionStore, type SessionStore } from '../sources/sessions.ts';
import { ssmSettingsFetcher, type StoredSettings } from '../sources/templates.ts';
import { watchOnTheWire } from './on-the-wire.ts';


export interface Prefetch {
  /** The requests have been written to their sockets (or `capMs` has passed, or the reads ended first). */
  readonly sent: Promise<void>;
  /** The reads have settled, either way (never rejects). */
  readonly answered: Promise<void>;
}

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
   * Starts reading settings and the token now (the init phase of a cold start), so CPU work can
   * overlap the network wait instead of delaying the send.
   */
  prefetch(capMs?: number): Prefetch;
  /** The SNS client's cold path, without sending. */
  warmEmailClient(): Promise<void>;
}

/** `early`: the reads the first stage already sent (src/handler/stage-one.ts); they answer the first reads. */
export function createConnectWiring(config: Config, early?: EarlyReads): ConnectWiring {
  // One quick SDK retry at most: the deadline bounds everything, the retry queue does the rest.
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  const ssm = new SSMClient(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const sns = new SNSClient(clientConfig);
  const settings = new StaleWhileErrorCache(ssmSettingsFetcher(ssm, config.templateParameterPath, CONNECT_TEMPLATE_KEYS, config.routesParameter, early?.parameters), {
    ttlMs: config.cacheTtlSeconds * 1000,
  });
  const channels = channelsFromConfig(config, { secrets, sns, earlySecret: early?.secret });
  // Only whether they were sent is kept: the answers (the token among them) belong to the caches.
  const earlyParameters = Boolean(early?.parameters);
  const earlySecret = Boolean(early?.secret);
  const retryQueue = config.retryQueueUrl ? sqsRetryQueue(new SQSClient(clientConfig), config.retryQueueUrl) : undefined;
  const sessions = config.sessionTableName ? dynamoSessionStore(new DynamoDBClient(clientConfig), config.sessionTableName) : undefined;

  return {
    settings,
    channels,
    retryQueue,
    sessions,
    prefetch(capMs = ON_THE_WIRE_CAP_MS) {
      const tokenNeeded = !channels.slack.disabledReason && channels.token ? channels.token : undefined;
      // A read the first stage sent is on the wire already: only the SDK's own sends are watched.
      const watched = [...(earlyParameters ? [] : [ssm]), ...(tokenNeeded && !earlySecret ? [secrets] : [])];
      const watch = watchOnTheWire(watched);
      const reads = [settings.prefetch(READ_AHEAD_TIMEOUT_MS), ...(tokenNeeded ? [tokenNeeded.prefetch(READ_AHEAD_TIMEOUT_MS)] : [])];
      const answered = Promise.all(reads).then(() => undefined);
      // A read that ends before it is written (no credentials, say) must not hold init to the cap.
      void answered.then(watch.stop);
      const cap = setTimeout(watch.stop, capMs);
      return { sent: watch.written.finally(() => clearTimeout(cap)), answered };
    },
    warmEmailClient: () => warmSnsClient(sns, config.snsTopicArn),
  };
}
