/**
 * Lambda entry of the retry worker: SQS-triggered, same environment variables as the connect
 * handler, same channel code. Its own wiring: Secrets Manager, SNS, SQS, Parameter Store for the
 * routes document only (which Slack channels a queued message may go to), and the session table
 * for reads only (whether a thread reply goes to the notifier's own post); no templates.
 * Loading needs no credentials, network or environment, and never fails init.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseConfig } from '../base/config.ts';
import { describeError } from '../base/errors.ts';
import type { LambdaContextLike } from '../base/lambda.ts';
import { handlerOrFallback } from '../base/entry.ts';
import { jsonLog } from '../base/log.ts';
import { channelsFromConfig } from '../channels/from-config.ts';
import { StaleWhileErrorCache } from '../sources/cache.ts';
import { channelsNamed } from '../routing/document.ts';
import { parseRoutes } from '../routing/parse.ts';
import { routesParameterFetcher } from '../sources/routes.ts';
import { dynamoSessionStore, sessionHasPost } from '../sources/sessions.ts';
import { createRetryWorker } from './worker.ts';

/** How long a batch waits for the routes document before it checks destinations without it. */
const ROUTES_READ_MS = 1000;

/** The Slack channels a routes document names; none when there is none or it is not valid (then the built-in one applies). */
function channelsOf(raw: string | undefined): readonly string[] {
  if (raw === undefined) return [];
  const parsed = parseRoutes(raw);
  return parsed.ok ? channelsNamed(parsed.routes) : [];
}

type Handler = (event: SQSEvent, context?: LambdaContextLike) => Promise<SQSBatchResponse>;

function init(): Handler {
  const { config, warnings } = parseConfig(process.env);
  for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });
  const clientConfig = config.region ? { region: config.region } : {};
  // The routes document names the other Slack channels a queued message may go to.
  const routes = new StaleWhileErrorCache(routesParameterFetcher(new SSMClient(clientConfig), config.routesParameter), { ttlMs: config.cacheTtlSeconds * 1000 });
  let routeChannels: readonly string[] = [];
  const channels = channelsFromConfig(config, { secrets: new SecretsManagerClient(clientConfig), sns: new SNSClient(clientConfig) }, () => routeChannels);
  const sqs = new SQSClient(clientConfig);
  // Thread replies and parent updates name the channel ID Slack answered; the session table says which are ours.
  const sessions = config.sessionTableName ? dynamoSessionStore(new DynamoDBClient(clientConfig), config.sessionTableName) : undefined;
  return createRetryWorker({
    ...(sessions ? { ownThread: async (connectionId, payload, signal) => sessionHasPost(await sessions.find(connectionId, signal), payload.channel, payload.threadTs ?? payload.updateTs) } : {}),
    channels: channels.registry,
    async beforeBatch(signal) {
      const read = await routes.get(ROUTES_READ_MS, signal);
      if (read.source !== 'none') routeChannels = channelsOf(read.value);
      if (read.error) jsonLog({ level: 'WARN', message: `routes document not read (${read.error}); ${read.source === 'stale' ? 'its last known channels are allowed' : 'records for other channels are handed back'}` });
      return read.source !== 'none';
    },
    deliveryTimeoutMs: config.notifyBudgetMs,
    async defer(receiptHandle, seconds) {
      if (!config.retryQueueUrl) throw new Error('RETRY_QUEUE_URL is not set, so the record cannot be deferred');
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: config.retryQueueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }), {
        abortSignal: AbortSignal.timeout(5000),
      });
    },
    log: jsonLog,
  });
}

/** When init failed, the whole batch goes back to the queue (nothing is lost) and each call says why. */
function fallback(error: unknown): Handler {
  const reason = describeError(error);
  jsonLog({ level: 'ERROR', message: `retry worker init failed; batches are handed back: ${reason}` });
  return async (event) => {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    jsonLog({ level: 'ERROR', message: `retry batch handed back: init failed: ${reason}`, records: records.length });
    return { batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })) };
  };
}

export const handler: Handler = handlerOrFallback(init, fallback);
