import type { Config } from '../base/config.ts';
import { isRetryable, type Channel, type ChannelName, type ChannelResult, type DeliveryContext, type EmailPayload, type SlackPayload } from '../channels/channel.ts';
import { loadTemplateEngine } from '../render/compile.ts';
import { buildContext } from '../render/context.ts';
import { renderNotification, type RenderedNotification } from '../render/render.ts';
import type { CacheRead } from '../sources/cache.ts';
import type { StoredTemplates } from '../sources/templates.ts';
import { budgetFor, createDeadline, raceWithin, type Deadline } from '../base/deadline.ts';
import { parseConnection, type Connection } from '../base/connection.ts';
import type { Log } from '../base/log.ts';
import { invocationMetrics, undeliveredMetric } from '../base/metrics.ts';
import { retryMessage, type RetryMessage } from '../retry/message.ts';
import type { QueuedItem, RetryQueue } from '../retry/queue.ts';
import { allowResponse, type ConnectResponse } from './response.ts';

/** Share of the budget that reading templates and the token may take; delivery gets the rest. */
export const READ_SHARE = 0.4;
/** A read that has not answered by then is not going to; give delivery the time instead. */
export const READ_SHARE_MAX_MS = 1500;

export interface TemplateSource {
  get(waitMs: number, signal: AbortSignal): Promise<CacheRead<StoredTemplates>>;
}

/** Share of the budget kept back, when a retry queue is set, to queue what failed. */
export const ENQUEUE_SHARE = 0.15;
export const ENQUEUE_MIN_MS = 100;
export const ENQUEUE_MAX_MS = 500;

export interface ConnectHandlerDeps {
  readonly config: Config;
  /** Undefined when templates are not read from anywhere (the local run): bundled defaults. */
  readonly templates: TemplateSource | undefined;
  readonly slack: Channel<SlackPayload>;
  readonly email: Channel<EmailPayload>;
  /** Where retryable failures go; undefined means they are only logged. */
  readonly retryQueue?: RetryQueue;
  readonly log: Log;
  readonly now?: () => number;
}

export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}

interface ChannelReport {
  status: ChannelResult['status'] | 'pending';
  durationMs?: number;
  reason?: string;
  retryable?: boolean;
  /** `queued` once SQS accepted the retry; `not-queued` when it was due but did not make it. */
  retry?: 'queued' | 'not-queued';
}

/** A retryable failure's rendered payload, until it is safely on the queue. */
interface Undelivered {
  readonly message: RetryMessage;
  readonly delaySeconds?: number;
  queued: boolean;
  queueError?: string;
}

/** What one invocation did, built up as it goes so a deadline can log what was in flight. */
interface Report {
  connectionId: string;
  endpointId: string;
  budgetMs: number;
  templates?: Record<string, unknown>;
  channels: Partial<Record<ChannelName, ChannelReport>>;
  undelivered: Undelivered[];
  /** Milliseconds spent waiting for templates, and rendering them. */
  phases: { templatesMs?: number; renderMs?: number };
  error?: string;
}

export type ConnectHandler = (event: unknown, context?: LambdaContextLike) => Promise<ConnectResponse>;

export function createConnectHandler(deps: ConnectHandlerDeps): ConnectHandler {
  const now = deps.now ?? Date.now;
  const channels = [deps.slack, deps.email] as const;

  return async function handler(event, lambdaContext) {
    const started = now();
    const report: Report = { connectionId: '', endpointId: '', budgetMs: 0, channels: {}, undelivered: [], phases: {} };
    let deadline: Deadline | undefined;
    try {
      const remaining = safeRemaining(lambdaContext);
      deadline = createDeadline(budgetFor(deps.config.notifyBudgetMs, remaining), now);
      report.budgetMs = deadline.budgetMs;
      const work = notify(event, deadline, report).catch((error: unknown) => {
        report.error = error instanceof Error ? error.message : String(error);
      });
      await Promise.race([work, deadline.expired]);
    } catch (error) {
      report.error = error instanceof Error ? error.message : String(error);
    } finally {
      // Whatever is still in flight is aborted now, not left to run in a frozen sandbox.
      deadline?.abort();
    }
    try {
      logInvocation(report, now() - started, lambdaContext);
    } catch {
      // A log failure must not turn into a denied connection.
    }
    return allowResponse();
  };

  async function notify(event: unknown, deadline: Deadline, report: Report): Promise<void> {
    const connection = parseConnection(event);
    report.connectionId = connection.connectionId;
    report.endpointId = connection.endpointId;
    const readMs = Math.min(deadline.budgetMs * READ_SHARE, READ_SHARE_MAX_MS);
    // With a retry queue, delivery stops early enough to leave time to queue what failed.
    const enqueueMs = deps.retryQueue ? Math.min(ENQUEUE_MAX_MS, Math.max(ENQUEUE_MIN_MS, deadline.budgetMs * ENQUEUE_SHARE)) : 0;
    const deliverMs = Math.max(0, deadline.budgetMs - enqueueMs);
    const delivery: DeliveryContext = { signal: deadline.within(deliverMs), readBy: now() + readMs };

    // Token and templates are read concurrently (and usually already cached).
    for (const channel of channels) {
      if (!channel.disabledReason) channel.warmUp?.(delivery);
    }
    // Loaded here, not at import: it overlaps the template read on a cold start.
    const engineReady = loadTemplateEngine();
    const readStarted = now();
    const stored = deps.templates
      ? await deps.templates.get(readMs, deadline.signal)
      : ({ value: undefined, source: 'none' } satisfies CacheRead<StoredTemplates>);
    await engineReady;
    const renderStarted = now();
    report.phases.templatesMs = renderStarted - readStarted;
    const rendered = renderNotification(stored.value ?? {}, contextFor(connection), deps.config.timeZone);
    report.phases.renderMs = now() - renderStarted;
    report.templates = templateReport(stored, rendered, deps.templates !== undefined);

    const payloads = {
      slack: { channel: deps.config.slackChannel ?? '', text: rendered.slack.text } satisfies SlackPayload,
      email: {
        topicArn: deps.config.snsTopicArn ?? '',
        subject: rendered['email-subject'].text,
        message: rendered['email-body'].text,
        endpointId: connection.endpointId,
      } satisfies EmailPayload,
    };
    const deliverBy = deadline.at - enqueueMs;
    const results = await Promise.all([
      deliverOne(deps.slack, payloads.slack, delivery, deliverBy, deadline, report),
      deliverOne(deps.email, payloads.email, delivery, deliverBy, deadline, report),
    ]);

    const failedAt = new Date(now()).toISOString();
    const payloadOf = { slack: payloads.slack, email: payloads.email };
    for (const [index, result] of results.entries()) {
      const name = index === 0 ? 'slack' : 'email';
      if (!isRetryable(result)) continue;
      report.undelivered.push({
        message: retryMessage(name, payloadOf[name], { connectionId: connection.connectionId, firstFailureAt: failedAt, attempts: 1, reason: result.status === 'skipped' || result.status === 'sent' ? '' : result.reason }),
        delaySeconds: result.status === 'failed' ? result.retryAfterSeconds : undefined,
        queued: false,
      });
    }
    if (deps.retryQueue && report.undelivered.length > 0) await enqueue(deps.retryQueue, report.undelivered, deadline);
  }

  async function enqueue(queue: RetryQueue, items: Undelivered[], deadline: Deadline): Promise<void> {
    try {
      const outcome = await raceWithin(queue.send(items, deadline.signal), deadline.remaining(), deadline.signal, () => undefined);
      if (outcome === undefined) {
        for (const item of items) item.queueError = 'no answer from SQS before the deadline';
        return;
      }
      const failed = new Map<QueuedItem, string>(outcome.map(({ item, reason }) => [item, reason]));
      for (const item of items) {
        const reason = failed.get(item);
        if (reason === undefined) item.queued = true;
        else item.queueError = reason;
      }
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      for (const item of items) item.queueError = reason;
    }
  }

  async function deliverOne<P>(channel: Channel<P>, payload: P, delivery: DeliveryContext, deliverBy: number, deadline: Deadline, report: Report): Promise<ChannelResult> {
    const entry: ChannelReport = { status: 'pending' };
    report.channels[channel.name] = entry;
    const started = now();
    const timedOut: ChannelResult = { status: 'timedOut', reason: `no answer within ${Math.round(deliverBy - started)} ms of the ${deadline.budgetMs} ms budget` };
    let result: ChannelResult;
    try {
      result = await raceWithin(channel.deliver(payload, delivery), deliverBy - now(), delivery.signal, () => timedOut);
    } catch (error) {
      // Channels should not throw; if one does, it is a bug worth retrying around, not a denial.
      result = { status: 'failed', retryable: true, reason: `channel threw: ${error instanceof Error ? error.message : String(error)}` };
    }
    entry.status = result.status;
    entry.durationMs = now() - started;
    if (result.status !== 'sent') entry.reason = result.reason;
    if (result.status === 'failed') entry.retryable = result.retryable;
    return result;
  }

  function contextFor(connection: Connection) {
    return buildContext(connection, new Date(now()), deps.config.timeZone, deps.config.region);
  }

  function logInvocation(report: Report, durationMs: number, lambdaContext: LambdaContextLike | undefined): void {
    for (const entry of Object.values(report.channels)) {
      if (entry && entry.status === 'pending') {
        entry.status = 'timedOut';
        entry.reason = `still in flight at the ${report.budgetMs} ms deadline; aborted`;
      }
    }
    const outcomes = Object.values(report.channels).map((entry) => entry?.status);
    const failures = outcomes.filter((status) => status === 'failed' || status === 'timedOut').length;
    let lost = 0;
    for (const item of report.undelivered) {
      const entry = report.channels[item.message.channel];
      if (item.queued) {
        if (entry) entry.retry = 'queued';
        continue;
      }
      if (!deps.retryQueue) continue;
      if (entry) entry.retry = 'not-queued';
      lost += 1;
      // Last resort: the rendered payload itself, so an operator can still deliver it by hand.
      deps.log({
        level: 'ERROR',
        message: 'notification not delivered and not queued for retry; the rendered payload follows',
        connectionId: report.connectionId,
        channel: item.message.channel,
        reason: item.message.reason,
        queueError: item.queueError ?? `still in flight at the ${report.budgetMs} ms deadline`,
        retryMessage: item.message,
        ...undeliveredMetric(),
      });
    }
    deps.log({
      level: failures > 0 || report.error ? 'WARN' : 'INFO',
      message: failures > 0 ? 'client connect allowed; some notifications failed' : 'client connect allowed and notified',
      requestId: lambdaContext?.awsRequestId,
      connectionId: report.connectionId,
      endpointId: report.endpointId,
      budgetMs: report.budgetMs,
      channels: report.channels,
      templates: report.templates,
      phases: report.phases,
      ...(report.error ? { error: report.error } : {}),
      durationMs,
      ...invocationMetrics({
        sent: outcomes.filter((status) => status === 'sent').length,
        failed: failures,
        queued: report.undelivered.filter((item) => item.queued).length,
        lost,
        durationMs,
      }),
    });
  }
}

function safeRemaining(context: LambdaContextLike | undefined): number | undefined {
  try {
    return typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
  } catch {
    return undefined;
  }
}

function templateReport(stored: CacheRead<StoredTemplates>, rendered: RenderedNotification, configured: boolean): Record<string, unknown> {
  const readSource = !configured ? 'not-configured' : stored.source === 'fetched' ? 'parameter-store' : stored.source;
  const out: Record<string, unknown> = { read: readSource };
  if (stored.error) out.readError = stored.error;
  for (const [name, template] of Object.entries(rendered)) {
    out[name] = template.from === 'stored' ? readSource : 'bundled-default';
    if (template.fallbackReason) out[`${name}Error`] = template.fallbackReason;
  }
  return out;
}

