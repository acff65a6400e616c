import { raceWithin, type Clock } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import { isRetryable } from '../channels/channel.ts';
import { retryMessage, type RetryMessage } from '../retry/message.ts';
import type { QueuedItem, RetryQueue } from '../retry/queue.ts';
import type { DeliveryOutcome } from './deliver.ts';

/** What became of a delivery's retry: none needed, none possible, queued, or due but not queued. */
export type RetryOutcome =
  | { readonly state: 'not-needed' }
  | { readonly state: 'no-queue'; readonly message: RetryMessage }
  | { readonly state: 'queued'; readonly message: RetryMessage }
  | { readonly state: 'not-queued'; readonly message: RetryMessage; readonly error: string };

/** The retry message of a delivery that failed retryably, or undefined. */
export function retryFor(outcome: DeliveryOutcome, connectionId: string): QueuedItem | undefined {
  const { result } = outcome;
  if (!isRetryable(result) || result.status === 'sent' || result.status === 'skipped') return undefined;
  return {
    message: retryMessage(outcome.channel, outcome.payload as never, { connectionId, firstFailureAt: outcome.endedAt, attempts: 1, reason: result.reason }),
    delaySeconds: result.status === 'failed' ? result.retryAfterSeconds : undefined,
  };
}

/**
 * Queues every retryable failure in one request, bounded by `waitMs`. Resolves to one outcome
 * per delivery, in order; never throws.
 */
export async function enqueueRetryable(
  outcomes: readonly DeliveryOutcome[],
  connectionId: string,
  queue: RetryQueue | undefined,
  waitMs: number,
  signal: AbortSignal,
  clock: Clock,
): Promise<RetryOutcome[]> {
  const items = outcomes.map((outcome) => retryFor(outcome, connectionId));
  const due = items.filter((item): item is QueuedItem => item !== undefined);
  if (due.length === 0) return outcomes.map(() => ({ state: 'not-needed' }));
  if (!queue) return items.map((item) => (item ? { state: 'no-queue', message: item.message } : { state: 'not-needed' }));

  let refused: Map<QueuedItem, string>;
  try {
    const answer = await raceWithin(queue.send(due, signal), waitMs, signal, () => undefined, clock);
    refused = answer === undefined ? new Map(due.map((item) => [item, 'no answer from SQS before the deadline'])) : new Map(answer.map(({ item, reason }) => [item, reason]));
  } catch (error) {
    refused = new Map(due.map((item) => [item, describeError(error)]));
  }
  return items.map((item): RetryOutcome => {
    if (!item) return { state: 'not-needed' };
    const error = refused.get(item);
    return error === undefined ? { state: 'queued', message: item.message } : { state: 'not-queued', message: item.message, error };
  });
}
