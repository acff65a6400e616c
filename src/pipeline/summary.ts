import type { LogLine } from '../base/log.ts';
import { invocationMetrics, undeliveredMetric } from '../base/metrics.ts';
import type { ChannelResult, Destination } from '../channels/channel.ts';
import type { DeliveryOutcome } from './deliver.ts';
import type { RetryOutcome } from './enqueue.ts';
import type { TemplateUse } from './render-step.ts';
import type { RouteResult } from './route-step.ts';

/** Everything one notification's run produced, as values; the summary is computed from it. */
export interface RunRecord {
  readonly connectionId: string;
  readonly endpointId: string;
  /** Where the notification would have gone; every enabled one is counted, delivered or not. */
  readonly expected: readonly Destination[];
  /** Channels that are off, by name, with why (their destinations count as skipped). */
  readonly disabled: Readonly<Partial<Record<string, string>>>;
  /** Undefined when delivery never happened (the run failed or the deadline came first). */
  readonly deliveries?: readonly DeliveryOutcome[];
  readonly retries?: readonly RetryOutcome[];
  /** Why the run stopped before delivering, when it did. */
  readonly error?: string;
  readonly templates?: { readonly read: string; readonly readError?: string; readonly use: TemplateUse };
  readonly phases?: Readonly<Record<string, number>>;
  readonly routing?: RouteResult['routing'];
  readonly blocksCut?: readonly string[];
  /** The side step after the Slack posts (the session write), when there is one. */
  readonly afterSlack?: { readonly state: string; readonly reason?: string };
}

export interface ChannelEntry {
  status: ChannelResult['status'];
  destination: string;
  route: string;
  durationMs?: number;
  reason?: string;
  retryable?: boolean;
  retry?: 'queued' | 'not-queued';
}

export interface Summary {
  readonly channels: Record<string, ChannelEntry>;
  readonly counts: { readonly sent: number; readonly failed: number; readonly skipped: number; readonly queued: number; readonly lost: number };
  /** One ERROR line per notification neither delivered nor queued (with its payload when one was rendered). */
  readonly lostLines: readonly LogLine[];
}

/**
 * Counts one run's outcomes. Every enabled destination starts as pending and ends counted:
 * a run that never reached delivery counts each as failed, so the alarm sees it.
 * `unqueuedIsLost`: a retryable failure that was not queued counts as lost (with a queue, or
 * where, as in connection-events, losing it is not an option).
 */
export function summarize(record: RunRecord, unqueuedIsLost: boolean): Summary {
  const channels: Record<string, ChannelEntry> = {};
  const lostLines: LogLine[] = [];
  const counts = { sent: 0, failed: 0, skipped: 0, queued: 0, lost: 0 };
  const keyFor = (destination: Destination): string => {
    const key = channels[destination.channel] ? `${destination.channel}:${destination.address}` : destination.channel;
    return channels[key] ? `${key}#${Object.keys(channels).length}` : key;
  };

  if (!record.deliveries) {
    for (const destination of record.expected) {
      const off = record.disabled[destination.channel];
      const reason = off ?? `not delivered: ${record.error ?? 'the run ended before delivery'}`;
      channels[keyFor(destination)] = { status: off ? 'skipped' : 'failed', destination: destination.address, route: destination.route, reason, ...(off ? {} : { retryable: true }) };
      if (off) {
        counts.skipped += 1;
        continue;
      }
      counts.failed += 1;
      counts.lost += 1;
      lostLines.push({
        level: 'ERROR',
        message: 'notification not delivered and nothing was rendered to queue; see the error',
        connectionId: record.connectionId,
        channel: destination.channel,
        destination: destination.address,
        reason,
        ...undeliveredMetric(),
      });
    }
    return { channels, counts, lostLines };
  }

  record.deliveries.forEach((outcome, index) => {
    const { result } = outcome;
    const entry: ChannelEntry = { status: result.status, destination: outcome.destination.address, route: outcome.destination.route, durationMs: outcome.durationMs };
    if (result.status !== 'sent') entry.reason = result.reason;
    if (result.status === 'failed') entry.retryable = result.retryable;
    if (result.status === 'sent') counts.sent += 1;
    else if (result.status === 'skipped') counts.skipped += 1;
    else counts.failed += 1;
    const retry = record.retries?.[index];
    if (retry?.state === 'queued') {
      entry.retry = 'queued';
      counts.queued += 1;
    } else if (retry?.state === 'not-queued' || (retry?.state === 'no-queue' && unqueuedIsLost)) {
      entry.retry = 'not-queued';
      counts.lost += 1;
      // Last resort: the rendered payload itself, so an operator can still deliver it by hand.
      lostLines.push({
        level: 'ERROR',
        message: 'notification not delivered and not queued for retry; the rendered payload follows',
        connectionId: record.connectionId,
        channel: outcome.channel,
        reason: retry.message.reason,
        queueError: retry.state === 'not-queued' ? retry.error : 'no retry queue is configured (RETRY_QUEUE_URL)',
        retryMessage: retry.message,
        ...undeliveredMetric(),
      });
    }
    channels[keyFor(outcome.destination)] = entry;
  });
  return { channels, counts, lostLines };
}

/** The log text for a routes document that is not valid (logged once per read, contract section 13). */
export function routesErrorText(errors: readonly string[]): string {
  return `the routes document is not valid, the built-in one is used: ${errors.join('; ')}`;
}

/** The one JSON line of an invocation, with its metrics. */
export function invocationLine(base: { message: string; requestId?: string; budgetMs: number; durationMs: number }, record: RunRecord, summary: Summary): LogLine {
  const sessionTrouble = record.afterSlack?.state === 'failed' || record.afterSlack?.state === 'timedOut';
  const troubled = summary.counts.failed > 0 || record.error !== undefined || record.routing?.documentErrors !== undefined || sessionTrouble;
  return {
    level: troubled ? 'WARN' : 'INFO',
    message: base.message,
    requestId: base.requestId,
    connectionId: record.connectionId,
    endpointId: record.endpointId,
    budgetMs: base.budgetMs,
    channels: summary.channels,
    ...(record.templates ? { templates: templateReport(record.templates) } : {}),
    ...(record.phases ? { phases: record.phases } : {}),
    ...(record.routing ? { route: record.routing.route, matchedRoutes: record.routing.matched } : {}),
    ...(record.routing?.documentErrors ? { routesError: routesErrorText(record.routing.documentErrors) } : {}),
    ...(record.blocksCut ? { blocksCut: record.blocksCut } : {}),
    ...(record.afterSlack ? { session: record.afterSlack } : {}),
    ...(record.error ? { error: record.error } : {}),
    durationMs: base.durationMs,
    ...invocationMetrics({ sent: summary.counts.sent, failed: summary.counts.failed, queued: summary.counts.queued, lost: summary.counts.lost, durationMs: base.durationMs }),
  };
}

function templateReport(templates: NonNullable<RunRecord['templates']>): Record<string, unknown> {
  const out: Record<string, unknown> = { read: templates.read };
  if (templates.readError) out.readError = templates.readError;
  for (const [name, use] of Object.entries(templates.use)) {
    out[name] = use.from === 'stored' ? templates.read : 'bundled-default';
    if (use.fallbackReason) out[`${name}Error`] = use.fallbackReason;
  }
  return out;
}
