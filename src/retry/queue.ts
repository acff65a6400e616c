import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RetryMessage } from './message.ts';

export interface QueuedItem {
  readonly message: RetryMessage;
  /** Seconds before the worker may see it (Slack's Retry-After), at most SQS's 900. */
  readonly delaySeconds?: number;
}

export interface RetryQueue {
  /** Queues the items in one request; resolves to the ones SQS did not accept, with why. */
  send(items: readonly QueuedItem[], signal: AbortSignal): Promise<{ item: QueuedItem; reason: string }[]>;
}

export function sqsRetryQueue(sqs: SQSClient, queueUrl: string): RetryQueue {
  return {
    async send(items, signal) {
      const out = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: items.map((item, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(item.message),
            DelaySeconds: Math.min(900, Math.max(0, Math.ceil(item.delaySeconds ?? 0))),
            MessageAttributes: { channel: { DataType: 'String', StringValue: item.message.channel } },
          })),
        }),
        { abortSignal: signal },
      );
      return (out.Failed ?? []).map((failure) => ({
        item: items[Number(failure.Id)] as QueuedItem,
        reason: `${failure.Code ?? 'error'}: ${failure.Message ?? ''}`.trim(),
      }));
    },
  };
}
