/**
 * connection-events (contract sections 11, 12): a CloudWatch Logs subscription on the
 * endpoint's connection log. decode → classify → (claim the session) → the pipeline per
 * notification → summarize → one log line. It throws only when a notification could be
 * neither delivered nor queued, so that CloudWatch Logs delivers the batch again.
 */
import type { Config } from '../base/config.ts';
import { METRICS } from '../base/contract.ts';
import { budgetFor, createDeadline, systemClock, type Clock } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import { remainingTime, type LambdaContextLike } from '../base/lambda.ts';
import type { Log } from '../base/log.ts';
import { emfFields } from '../base/metrics.ts';
import type { ChannelRegistry, Destination } from '../channels/channel.ts';
import { classifyEntry } from '../events/classify.ts';
import { decodeSubscriptionEvent } from '../events/decode.ts';
import { disconnectedParent, eventNotification } from '../pipeline/event-notification.ts';
import { createRouter, type RouteResult, type RouteStep } from '../pipeline/route-step.ts';
import { runNotification, type RunInput, type SettingsSource } from '../pipeline/run.ts';
import { routesErrorText, summarize, type RunRecord, type Summary } from '../pipeline/summary.ts';
import type { RetryQueue } from '../retry/queue.ts';
import type { SessionItem, SessionStore } from '../sources/sessions.ts';

/** Notifications of one batch in flight at once: bounded, so a burst of disconnects at 18:00 does not open hundreds of sockets. */
export const EVENTS_CONCURRENCY = 4;
/** Longest a session-table call may take before the disconnect goes out at top level. */
const CLAIM_TIMEOUT_MS = 1000;

export interface ConnectionEventsDeps {
  readonly config: Config;
  readonly settings: SettingsSource | undefined;
  readonly channels: ChannelRegistry;
  readonly retryQueue: RetryQueue | undefined;
  readonly sessions: SessionStore | undefined;
  readonly log: Log;
  readonly clock?: Clock;
}

/** Thrown so that CloudWatch Logs delivers the batch again: something was neither delivered nor queued. */
export class UndeliveredError extends Error {
  override readonly name = 'UndeliveredError';
}

interface Job {
  readonly label: 'disconnect' | 'connect-failed' | 'status-update';
  readonly input: RunInput;
  /** The claimed session to give back if this job's notification is lost. */
  readonly claimed?: string;
}

export function createConnectionEventsHandler(deps: ConnectionEventsDeps) {
  const clock = deps.clock ?? systemClock;
  const router = createRouter(deps.config);
  const pipeline = { channels: deps.channels, settings: deps.settings, retryQueue: deps.retryQueue, timeZone: deps.config.timeZone, clock };

  return async function handler(event: unknown, lambdaContext?: LambdaContextLike): Promise<void> {
    const started = clock.now();
    const counts: Record<string, number> = { disconnect: 0, 'connect-failed': 0, ignored: 0, unparseable: 0, duplicate: 0 };
    let handlerDenials = 0;

    // Decode and classify: what cannot be read is logged (its first 500 characters) and skipped.
    const decoded = decodeSubscriptionEvent(event);
    if (!decoded.ok) {
      deps.log({ level: decoded.reason === 'control message' ? 'INFO' : 'WARN', message: `connection-events: batch skipped: ${decoded.reason}` });
      return;
    }
    const jobs: Job[] = [];
    for (const logEvent of decoded.entries) {
      const classified = classifyEntry(logEvent.message);
      if (classified.kind === 'ignored') {
        counts.ignored = (counts.ignored ?? 0) + 1;
        continue;
      }
      if (classified.kind === 'unparseable') {
        counts.unparseable = (counts.unparseable ?? 0) + 1;
        deps.log({ level: 'WARN', message: `connection log entry skipped: ${classified.reason}`, logEventId: logEvent.id, excerpt: classified.excerpt });
        continue;
      }
      counts[classified.kind] = (counts[classified.kind] ?? 0) + 1;
      if (classified.kind === 'connect-failed') {
        const notification = eventNotification(classified.entry, 'connect-failed', logEvent.timestamp, deps.config);
        if (notification.context.handlerFault) handlerDenials += 1;
        jobs.push({ label: 'connect-failed', input: { notification, route: router } });
        continue;
      }
      const claim = await claimSession(classified.entry.connectionId, logEvent.timestamp);
      if (claim.state === 'already-claimed') {
        counts.duplicate = (counts.duplicate ?? 0) + 1;
        continue;
      }
      const item = claim.state === 'claimed' ? claim.item : undefined;
      const notification = eventNotification(classified.entry, 'disconnect', logEvent.timestamp, deps.config, item?.context);
      jobs.push(...disconnectJobs(notification, item));
    }

    const records = await mapLimited(jobs, EVENTS_CONCURRENCY, (job) => runJob(job, lambdaContext));
    // Here nothing may be lost: a retryable failure that was not queued fails the batch.
    const summaries = records.map((record) => summarize(record, true));
    const lost = summaries.reduce((sum, summary) => sum + summary.counts.lost, 0);

    // A claim whose notification was lost is given back, so the redelivered batch notifies it.
    const release = jobs.filter((job, index) => job.claimed && (summaries[index]?.counts.lost ?? 0) > 0).map((job) => job.claimed as string);
    for (const connectionId of new Set(release)) {
      try {
        await deps.sessions?.release(connectionId, AbortSignal.timeout(CLAIM_TIMEOUT_MS));
      } catch (error) {
        deps.log({ level: 'WARN', message: `could not release the session claim of ${connectionId}; a redelivered batch will not notify it again`, error: describeError(error) });
      }
    }

    const line = batchLine(decoded.logGroup, counts, handlerDenials, jobs, records, summaries, clock.now() - started);
    deps.log(line);
    for (const summary of summaries) for (const lostLine of summary.lostLines) deps.log(lostLine);
    if (lost > 0) throw new UndeliveredError(`${lost} notification(s) could be neither delivered nor queued; the batch is to be delivered again`);
  };

  async function claimSession(connectionId: string, timestamp: number | null): Promise<{ state: 'claimed'; item: SessionItem } | { state: 'already-claimed' } | { state: 'missing' }> {
    if (!deps.sessions || !connectionId) return { state: 'missing' };
    try {
      return await deps.sessions.claim(connectionId, new Date(timestamp ?? clock.now()).toISOString(), AbortSignal.timeout(CLAIM_TIMEOUT_MS));
    } catch (error) {
      // Without the table the disconnect still goes out, at top level: a notification beats a thread.
      deps.log({ level: 'WARN', message: 'session table unavailable; the disconnect is posted at top level', connectionId, error: describeError(error) });
      return { state: 'missing' };
    }
  }

  function disconnectJobs(notification: ReturnType<typeof eventNotification>, item: SessionItem | undefined): Job[] {
    if (!item) return [{ label: 'disconnect', input: { notification, route: router } }];
    const tsByChannel = new Map(item.posts.map((post) => [post.channel, post.ts]));
    // The thread replies go where the connect was posted; email follows the routes.
    const threaded: RouteStep = (n, settings) => {
      const routed = router(n, settings);
      const email = routed.destinations.filter((destination) => destination.channel === 'email');
      const slack: Destination[] = item.posts.map((post) => ({ channel: 'slack', address: post.channel, mention: '', route: routed.routing.route }));
      return { destinations: [...slack, ...email], routing: routed.routing };
    };
    const parent = disconnectedParent(item.context, notification.context);
    const updates: RouteStep = (): RouteResult => ({
      destinations: item.posts.map((post) => ({ channel: 'slack', address: post.channel, mention: '', route: 'session' })),
      routing: { route: 'session', matched: [] },
    });
    return [
      { label: 'disconnect', claimed: item.connectionId, input: { notification, route: threaded, metaFor: (d) => (d.channel === 'slack' ? { threadTs: tsByChannel.get(d.address) ?? '' } : {}) } },
      { label: 'status-update', claimed: item.connectionId, input: { notification: parent, route: updates, metaFor: (d) => ({ updateTs: tsByChannel.get(d.address) ?? '' }) } },
    ];
  }

  async function runJob(job: Job, lambdaContext: LambdaContextLike | undefined): Promise<RunRecord> {
    const deadline = createDeadline(budgetFor(deps.config.notifyBudgetMs, remainingTime(lambdaContext)), clock);
    try {
      return await runNotification(job.input, pipeline, deadline);
    } catch (error) {
      return { connectionId: job.input.notification.connectionId, endpointId: job.input.notification.endpointId, expected: [], disabled: {}, error: describeError(error) };
    } finally {
      deadline.abort();
    }
  }
}

function batchLine(logGroup: string, counts: Record<string, number>, handlerDenials: number, jobs: readonly Job[], records: readonly RunRecord[], summaries: readonly Summary[], durationMs: number) {
  const total = { sent: 0, failed: 0, queued: 0, lost: 0 };
  for (const summary of summaries) {
    total.sent += summary.counts.sent;
    total.failed += summary.counts.failed;
    total.queued += summary.counts.queued;
    total.lost += summary.counts.lost;
  }
  // The router reports an invalid routes document on its first use per read: say so once, here.
  const documentErrors = records.find((record) => record.routing?.documentErrors)?.routing?.documentErrors;
  return {
    level: total.failed > 0 || records.some((record) => record.error) || documentErrors ? ('WARN' as const) : ('INFO' as const),
    message: `connection-events: ${jobs.length} notification(s) from ${Object.values(counts).reduce((a, b) => a + b, 0)} entries`,
    logGroup,
    ...(documentErrors ? { routesError: routesErrorText(documentErrors) } : {}),
    counts,
    notifications: records.map((record, index) => ({
      kind: jobs[index]?.label,
      connectionId: record.connectionId,
      ...(record.routing ? { route: record.routing.route } : {}),
      ...(record.error ? { error: record.error } : {}),
      channels: summaries[index]?.channels,
    })),
    durationMs,
    ...emfFields({
      [METRICS.sent]: { value: total.sent, unit: 'Count' },
      [METRICS.failures]: { value: total.failed, unit: 'Count' },
      [METRICS.queued]: { value: total.queued, unit: 'Count' },
      [METRICS.lost]: { value: total.lost, unit: 'Count' },
      [METRICS.handlerDenials]: { value: handlerDenials, unit: 'Count' },
    }),
  };
}


/** Maps with at most `limit` calls in flight, results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
