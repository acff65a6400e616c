/**
 * Lambda entry of the retry worker: SQS-triggered, same environment variables as the connect
 * handler, same channel code. Loading needs no credentials, network or environment.
 */
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseConfig } from '../base/config.ts';
import { jsonLog } from '../base/log.ts';
import { createRuntime } from '../handler/runtime.ts';
import { createRetryWorker } from './worker.ts';

const { config, warnings } = parseConfig(process.env);
for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });
const runtime = createRuntime(config);
const sqs = new SQSClient(config.region ? { region: config.region } : {});

export const handler = createRetryWorker({
  slack: runtime.slack,
  email: runtime.email,
  deliveryTimeoutMs: config.notifyBudgetMs,
  async defer(receiptHandle, seconds) {
    if (!config.retryQueueUrl) throw new Error('RETRY_QUEUE_URL is not set, so the record cannot be deferred');
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: config.retryQueueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }), {
      abortSignal: AbortSignal.timeout(5000),
    });
  },
  log: jsonLog,
});
