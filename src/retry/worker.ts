import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Channel, ChannelResult, EmailPayload, SlackPayload } from '../channels/channel.ts';
import { isRetryable } from '../channels/channel.ts';
import { createDeadline, raceWithin } from '../base/deadline.ts';
import type { Log } from '../base/log.ts';
import { decodeRetryMessage, MalformedRetryMessage, type RetryMessage } from './message.ts';

/** Leave this much of the Lambda's time unused, so the batch response always gets out. */
const WORKER_MARGIN_MS = 2000;

export interface RetryWorkerDeps {
  readonly slack: Channel<SlackPayload>;
  readonly email: Channel<EmailPayload>;
  /** Longest one delivery may take (the connect handler's NOTIFY_BUDGET_MS). */
  readonly deliveryTimeoutMs: number;
  /** Defers a record: sets its visibility timeout, so SQS hands it out again no sooner. */
  readonly defer: (receiptHandle: string, seconds: number) => Promise<void>;
  readonly log: Log;
  readonly now?: () => number;
}

export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
}

/**
 * The SQS-triggered retry worker: re-delivers each record through the same channel code,
 * one at a time (Slack allows about one message per second per channel), and answers with
 * the records that should come back. It never sleeps: a Slack Retry-After becomes the
 * record's visibility timeout.
 */
export function createRetryWorker(deps: RetryWorkerDeps) {
  const now = deps.now ?? Date.now;
  return async function handler(event: SQSEvent, context?: LambdaContextLike): Promise<SQSBatchResponse> {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Infinity;
    const stopAt = now() + remaining - WORKER_MARGIN_MS;
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const outcomes: Record<string, number> = {};
    const count = (key: string): void => {
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    };

    for (const record of records) {
      const timeLeft = stopAt - now();
      if (timeLeft <= 0) {
        // Out of time: hand the rest back untouched; SQS redelivers them.
        batchItemFailures.push({ itemIdentifier: record.messageId });
        count('notAttempted');
        continue;
      }
      const result = await processRecord(record, Math.min(deps.deliveryTimeoutMs, timeLeft));
      count(result);
      // Only retryable failures come back (contract section 9); the rest were logged with their payload.
      if (result === 'retry') batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    deps.log({ level: batchItemFailures.length > 0 ? 'WARN' : 'INFO', message: 'retry batch done', records: records.length, outcomes, batchItemFailures: batchItemFailures.length });
    return { batchItemFailures };
  };

  async function processRecord(record: SQSRecord, timeoutMs: number): Promise<'sent' | 'retry' | 'permanent' | 'malformed'> {
    let message: RetryMessage;
    try {
      message = decodeRetryMessage(record.body);
    } catch (error) {
      if (!(error instanceof MalformedRetryMessage)) throw error;
      // No retry can fix it, so it is not handed back; the ERROR line keeps the whole body.
      deps.log({ level: 'ERROR', message: `malformed retry message (${error.message}); removed from the queue, its body follows`, messageId: record.messageId, body: record.body });
      return 'malformed';
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const deadline = createDeadline(timeoutMs, now);
    const started = now();
    let result: ChannelResult;
    try {
      const delivery = { signal: deadline.signal, readBy: now() + timeoutMs / 2 };
      const attempt = message.channel === 'slack' ? deps.slack.deliver(message.payload, delivery) : deps.email.deliver(message.payload, delivery);
      result = await raceWithin(attempt, timeoutMs, deadline.signal, (): ChannelResult => ({ status: 'timedOut', reason: `no answer within ${timeoutMs} ms` }));
    } catch (error) {
      result = { status: 'failed', retryable: true, reason: `channel threw: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      deadline.abort();
    }
    const base = { messageId: record.messageId, connectionId: message.connectionId, channel: message.channel, attempt: message.attempts + receiveCount, firstFailureAt: message.firstFailureAt, durationMs: now() - started };
    if (result.status === 'sent') {
      deps.log({ level: 'INFO', message: 'retry delivered', ...base });
      return 'sent';
    }
    if (result.status === 'skipped') {
      // The channel was switched off since: nothing to deliver to, say so with the payload.
      deps.log({ level: 'ERROR', message: `retry dropped: channel is off (${result.reason}); the rendered payload follows`, ...base, retryMessage: message });
      return 'permanent';
    }
    if (!isRetryable(result)) {
      deps.log({ level: 'ERROR', message: `retry failed permanently (${result.reason}); the rendered payload follows`, ...base, retryMessage: message });
      return 'permanent';
    }
    const retryAfter = result.status === 'failed' ? result.retryAfterSeconds : undefined;
    if (retryAfter !== undefined && record.receiptHandle) {
      try {
        await deps.defer(record.receiptHandle, Math.min(43_200, Math.ceil(retryAfter)));
      } catch (error) {
        deps.log({ level: 'WARN', message: `could not defer by Retry-After ${retryAfter} s; the queue's visibility timeout applies`, ...base, error: error instanceof Error ? error.message : String(error) });
      }
    }
    deps.log({ level: 'WARN', message: `retry failed again (${result.reason}); it comes back${retryAfter !== undefined ? ` in at least ${retryAfter} s` : ''}`, ...base });
    return 'retry';
  }
}
