/**
 * The client connect handler's flow, one invocation: parse → (read → route → render →
 * deliver → enqueue) → summarize → log → answer. Whatever happens, it answers allow within
 * the budget: the pipeline is bounded by one deadline, and the answer never waits past it.
 */
import type { Config } from '../base/config.ts';
import { budgetFor, createDeadline, systemClock, type Clock, type Deadline } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import { remainingTime, type LambdaContextLike } from '../base/lambda.ts';
import type { Log } from '../base/log.ts';
import type { ChannelRegistry } from '../channels/channel.ts';
import { connectNotification } from '../pipeline/connect-notification.ts';
import { configuredDestinations } from '../pipeline/destinations.ts';
import type { Notification } from '../pipeline/notification.ts';
import { createRouter, type RouteStep } from '../pipeline/route-step.ts';
import { disabledChannels, runNotification, type RunInput, type SettingsSource } from '../pipeline/run.ts';
import { sessionItemFor, type SessionStore } from '../sources/sessions.ts';
import { invocationLine, summarize, type RunRecord } from '../pipeline/summary.ts';
import type { RetryQueue } from '../retry/queue.ts';
import { allowResponse, type ConnectResponse } from './response.ts';

export interface ConnectHandlerDeps {
  readonly config: Config;
  /** Undefined when templates are not read from anywhere (the local run): bundled defaults. */
  readonly settings: SettingsSource | undefined;
  readonly channels: ChannelRegistry;
  /** Where retryable failures go; undefined means they are only logged. */
  readonly retryQueue?: RetryQueue;
  /** The route step; default: the routes document read with the templates (section 13). */
  readonly route?: RouteStep;
  /** The session table (section 12): undefined means no threads. */
  readonly sessions?: SessionStore;
  readonly log: Log;
  readonly clock?: Clock;
}

export type ConnectHandler = (event: unknown, context?: LambdaContextLike) => Promise<ConnectResponse>;

export function createConnectHandler(deps: ConnectHandlerDeps): ConnectHandler {
  const clock = deps.clock ?? systemClock;
  const route = deps.route ?? createRouter(deps.config);
  const pipeline = { channels: deps.channels, settings: deps.settings, retryQueue: deps.retryQueue, timeZone: deps.config.timeZone, clock };

  return async function handler(event, lambdaContext) {
    const started = clock.now();
    let deadline: Deadline | undefined;
    let record: RunRecord;
    try {
      deadline = createDeadline(budgetFor(deps.config.notifyBudgetMs, remainingTime(lambdaContext)), clock);
      const notification = connectNotification(event, new Date(started), deps.config);
      const afterSlack = deps.sessions ? rememberPosts(deps.sessions, notification, new Date(started)) : undefined;
      const run = runNotification({ notification, route, ...(afterSlack ? { afterSlack } : {}) }, pipeline, deadline);
      // At the deadline the run's own bounded steps (due a few ms earlier) normally have ended; on a
      // CPU-starved instance their timers may fire in the same turn as the deadline's, so the run
      // gets one more timers turn (about a millisecond) before its outcome is given up for lost.
      const late = deadline.expired
        .then(() => new Promise<void>((resolve) => clock.setTimeout(resolve, 1)))
        .then(() => notDelivered(notification, 'the deadline came before the notification run ended'));
      record = await Promise.race([run.catch((error: unknown) => notDelivered(notification, describeError(error))), late]);
    } catch (error) {
      record = notDelivered(undefined, describeError(error));
    } finally {
      // Whatever is still in flight is aborted now, not left to run in a frozen sandbox.
      deadline?.abort();
    }
    try {
      const durationMs = clock.now() - started;
      const summary = summarize(record, deps.retryQueue !== undefined);
      const troubled = summary.counts.failed > 0;
      const message = troubled ? 'client connect allowed; some notifications failed' : 'client connect allowed and notified';
      deps.log(invocationLine({ message, requestId: lambdaContext?.awsRequestId, budgetMs: deadline?.budgetMs ?? 0, durationMs }, record, summary));
      for (const line of summary.lostLines) deps.log(line);
    } catch {
      // A log failure must not turn into a denied connection.
    }
    return allowResponse();
  };

  function notDelivered(notification: Notification | undefined, error: string): RunRecord {
    return {
      connectionId: notification?.connectionId ?? '',
      endpointId: notification?.endpointId ?? '',
      expected: configuredDestinations(deps.config),
      disabled: disabledChannels(deps.channels),
      error,
    };
  }
}

/** After the Slack posts: one session item with where they are, so a disconnect can thread and update them. */
function rememberPosts(sessions: SessionStore, notification: Notification, connectedAt: Date): NonNullable<RunInput['afterSlack']> {
  return async (slack, signal) => {
    const posts = slack.flatMap((outcome) => (outcome.result.status === 'sent' && outcome.result.detail?.channel && outcome.result.detail.ts ? [{ channel: outcome.result.detail.channel, ts: outcome.result.detail.ts }] : []));
    const item = sessionItemFor({ connectionId: notification.connectionId, endpointId: notification.endpointId, context: notification.context, posts, connectedAt });
    if (!item) return { state: 'skipped', reason: posts.length === 0 ? 'no Slack post to remember' : 'the event has no connection id' };
    await sessions.put(item, signal);
    return { state: 'done' };
  };
}

