import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { RETRY_WORKER_MARGIN_MS } from '../base/contract.ts';
import { createDeadline, raceWithin, systemClock, type Clock } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import type { LambdaContextLike } from '../base/lambda.ts';
import type { Log } from '../base/log.ts';
import { isRetryable, type ChannelRegistry, type ChannelResult, type SlackPayload } from '../channels/channel.ts';
import { decodeRetryMessage, MalformedRetryMessage, type RetryMessage } from '../retry/message.ts';

export interface RetryWorkerDeps {
  readonly channels: ChannelRegistry;
  /** Longest one delivery may take (the connect handler's NOTIFY_BUDGET_MS). */
  readonly deliveryTimeoutMs: number;
  /** Defers a record: sets its visibility timeout, so SQS hands it out again no sooner. */
  readonly defer: (receiptHandle: string, seconds: number) => Promise<void>;
  /**
   * Runs before a batch (reads what the destination check needs); bounded by its signal.
   * Resolves to false when that could not be read: a refused record is then handed back, not
   * dropped, since the refusal may only mean the routes document was not read.
   */
  readonly beforeBatch?: (signal: AbortSignal) => Promise<boolean>;
  /**
   * Whether a Slack thread reply or parent update goes to a message the notifier posted itself
   * (the session table holds each connect post's channel ID and ts). With SLACK_CHANNEL or a
   * route channel given by name, Slack answered with the channel's ID, which the name check
   * cannot recognise. Absent without a session table.
   */
  readonly ownThread?: (connectionId: string, payload: SlackPayload, signal: AbortSignal) => Promise<boolean>;
  readonly log: Log;
  readonly clock?: Clock;
}

/**
 * How long a rate-limited record waits: at least Slack's Retry-After, and at least a backoff that
 * doubles with each receive (15 s, 30 s, … up to 15 min). Every 429 spends one of the record's
 * receives; a 1 s Retry-After alone would spend all 20 in half a minute of an 18:00 burst and
 * send the record to the dead-letter queue instead of Slack.
 */
export function deferSeconds(retryAfterSeconds: number, receiveCount: number): number {
  const backoff = Math.min(900, 15 * 2 ** Math.max(0, Math.min(10, receiveCount - 1)));
  return Math.min(43_200, Math.max(Math.ceil(retryAfterSeconds), backoff));
}

type RecordOutcome = 'sent' | 'retry' | 'permanent' | 'malformed' | 'refused';

/**
 * The SQS-triggered retry worker: re-delivers each record through the same channel code,
 * one at a time (Slack allows about one message per second per channel), and answers with
 * the records that should come back. It never sleeps: a Slack Retry-After becomes the
 * record's visibility timeout. It sends only where the configuration allows: a queued message
 * naming another Slack channel or topic is dropped with an ERROR line, never sent.
 */
export function createRetryWorker(deps: RetryWorkerDeps) {
  const clock = deps.clock ?? systemClock;
  return async function handler(event: SQSEvent, context?: LambdaContextLike): Promise<SQSBatchResponse> {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    const remaining = typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Infinity;
    const stopAt = clock.now() + remaining - RETRY_WORKER_MARGIN_MS;
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const outcomes: Record<string, number> = {};
    const count = (key: string): void => {
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    };
    let destinationsKnown = true;
    try {
      destinationsKnown = (await deps.beforeBatch?.(AbortSignal.timeout(Math.max(1, Math.min(2000, stopAt - clock.now()))))) ?? true;
    } catch (error) {
      destinationsKnown = false;
      deps.log({ level: 'WARN', message: `before-batch step failed: ${describeError(error)}` });
    }

    for (const [index, record] of records.entries()) {
      // Share what is left fairly among the records not yet tried, so each gets its attempt.
      const share = (stopAt - clock.now()) / (records.length - index);
      if (share <= 0) {
        // Out of time: hand the rest back untouched; SQS redelivers them.
        batchItemFailures.push({ itemIdentifier: record.messageId });
        count('notAttempted');
        continue;
      }
      const result = await processRecord(record, Math.min(deps.deliveryTimeoutMs, share), destinationsKnown, stopAt);
      count(result);
      // Only retryable failures come back (contract section 9); the rest were logged with their payload.
      if (result === 'retry') batchItemFailures.push({ itemIdentifier: record.messageId });
    }
    deps.log({ level: batchItemFailures.length > 0 ? 'WARN' : 'INFO', message: 'retry batch done', records: records.length, outcomes, batchItemFailures: batchItemFailures.length });
    return { batchItemFailures };
  };

  async function processRecord(record: SQSRecord, timeoutMs: number, destinationsKnown: boolean, stopAt: number): Promise<RecordOutcome> {
    let message: RetryMessage;
    try {
      message = decodeRetryMessage(record.body);
    } catch (error) {
      if (!(error instanceof MalformedRetryMessage)) throw error;
      // No retry can fix it, so it is not handed back; the ERROR line keeps the whole body.
      deps.log({ level: 'ERROR', message: `malformed retry message (${error.message}); removed from the queue, its body follows`, messageId: record.messageId, body: record.body });
      return 'malformed';
    }
    const channel = deps.channels[message.channel];
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const base = { messageId: record.messageId, connectionId: message.connectionId, channel: message.channel, attempt: message.attempts + receiveCount, firstFailureAt: message.firstFailureAt };
    let refused = channel.refuses(message.payload);
    if (refused && message.channel === 'slack' && (message.payload.threadTs || message.payload.updateTs) && deps.ownThread) {
      try {
        if (await deps.ownThread(message.connectionId, message.payload, AbortSignal.timeout(Math.max(1, Math.min(2000, stopAt - clock.now()))))) refused = undefined;
      } catch (error) {
        deps.log({ level: 'WARN', message: `retry held back: ${refused}, and the session table could not be read to tell whether it is the notifier's own thread (${describeError(error)}); it comes back`, ...base });
        return 'retry';
      }
    }
    if (refused && !destinationsKnown) {
      deps.log({ level: 'WARN', message: `retry held back: ${refused}, and the routes document could not be read to tell; it comes back`, ...base });
      return 'retry';
    }
    if (refused) {
      // Whoever can write to the queue must not be able to post as the bot anywhere else.
      deps.log({ level: 'ERROR', message: `retry refused: ${refused}; removed from the queue without sending, the payload follows`, ...base, retryMessage: message });
      return 'refused';
    }
    const deadline = createDeadline(timeoutMs, clock);
    const started = clock.now();
    let result: ChannelResult;
    try {
      const delivery = { signal: deadline.signal, readBy: clock.now() + timeoutMs / 2 };
      result = await raceWithin(channel.deliver(message.payload, delivery), timeoutMs, deadline.signal, (): ChannelResult => ({ status: 'timedOut', reason: `no answer within ${Math.round(timeoutMs)} ms` }), clock);
    } catch (error) {
      result = { status: 'failed', retryable: true, reason: `channel threw: ${describeError(error)}` };
    } finally {
      deadline.abort();
    }
    const logged = { ...base, durationMs: clock.now() - started };
    if (result.status === 'sent') {
      deps.log({ level: 'INFO', message: 'retry delivered', ...logged });
      return 'sent';
    }
    if (result.status === 'skipped') {
      // The channel was switched off since: nothing to deliver to, say so with the payload.
      deps.log({ level: 'ERROR', message: `retry dropped: channel is off (${result.reason}); the rendered payload follows`, ...logged, retryMessage: message });
      return 'permanent';
    }
    if (!isRetryable(result)) {
      deps.log({ level: 'ERROR', message: `retry failed permanently (${result.reason}); the rendered payload follows`, ...logged, retryMessage: message });
      return 'permanent';
    }
    const retryAfter = result.status === 'failed' ? result.retryAfterSeconds : undefined;
    const deferBy = retryAfter === undefined ? undefined : deferSeconds(retryAfter, receiveCount);
    if (deferBy !== undefined && record.receiptHandle) {
      try {
        await raceWithin(deps.defer(record.receiptHandle, deferBy), Math.max(0, stopAt - clock.now()), new AbortController().signal, () => undefined, clock);
      } catch (error) {
        deps.log({ level: 'WARN', message: `could not defer by Retry-After ${retryAfter} s; the queue's visibility timeout applies`, ...logged, error: describeError(error) });
      }
    }
    deps.log({ level: 'WARN', message: `retry failed again (${result.reason}); it comes back${deferBy !== undefined ? ` in ${deferBy} s` : ''}`, ...logged });
    return 'retry';
  }
}
