/**
 * Lambda entry of the retry worker: SQS-triggered, same environment variables as the connect
 * handler, same channel code. Its own wiring: Secrets Manager, SNS and SQS, no Parameter Store.
 * Loading needs no credentials, network or environment, and never fails init.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseConfig } from '../base/config.ts';
import { describeError } from '../base/errors.ts';
import type { LambdaContextLike } from '../base/lambda.ts';
import { jsonLog } from '../base/log.ts';
import { channelsFromConfig } from '../channels/from-config.ts';
import { createRetryWorker } from './worker.ts';

type Handler = (event: SQSEvent, context?: LambdaContextLike) => Promise<SQSBatchResponse>;

function init(): Handler {
  const { config, warnings } = parseConfig(process.env);
  for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });
  const clientConfig = config.region ? { region: config.region } : {};
  const channels = channelsFromConfig(config, { secrets: new SecretsManagerClient(clientConfig), sns: new SNSClient(clientConfig) });
  const sqs = new SQSClient(clientConfig);
  return createRetryWorker({
    channels: channels.registry,
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

let created: Handler;
try {
  created = init();
} catch (error) {
  created = fallback(error);
}
export const handler: Handler = created;
