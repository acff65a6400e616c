import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { Config } from '../base/config.ts';
import { EVENTS_TEMPLATE_KEYS } from '../base/contract.ts';
import { channelsFromConfig, type ConfiguredChannels } from '../channels/from-config.ts';
import { sqsRetryQueue, type RetryQueue } from '../retry/queue.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { dynamoSessionStore, type SessionStore } from '../sources/sessions.ts';
import { ssmSettingsFetcher, type StoredSettings } from '../sources/templates.ts';


export interface EventsWiring {
  readonly settings: StaleWhileErrorCache<StoredSettings>;
  readonly channels: ConfiguredChannels;
  readonly retryQueue: RetryQueue | undefined;
  readonly sessions: SessionStore | undefined;
}

export function createEventsWiring(config: Config): EventsWiring {
  const clientConfig = { maxAttempts: 2, ...(config.region ? { region: config.region } : {}) };
  return {
    settings: new StaleWhileErrorCache(ssmSettingsFetcher(new SSMClient(clientConfig), config.templateParameterPath, EVENTS_TEMPLATE_KEYS, config.routesParameter), {
      ttlMs: config.cacheTtlSeconds * 1000,
    }),
    channels: channelsFromConfig(config, { secrets: new SecretsManagerClient(clientConfig), sns: new SNSClient(clientConfig) }),
    retryQueue: config.retryQueueUrl ? sqsRetryQueue(new SQSClient(clientConfig), config.retryQueueUrl) : undefined,
    sessions: config.sessionTableName ? dynamoSessionStore(new DynamoDBClient(clientConfig), config.sessionTableName) : undefined,
  };
}
