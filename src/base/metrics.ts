/**
 * CloudWatch Embedded Metric Format fields for the invocation log line: the same line that
 * tells an operator what happened also feeds the alarms, with no extra API call.
 */
import { METRIC_NAMESPACE, METRIC_SERVICE } from './contract.ts';

export { METRIC_NAMESPACE, METRIC_SERVICE };

function emf(metrics: { name: string; unit: string }[]): Record<string, unknown> {
  return {
    Timestamp: Date.now(),
    CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['Service']], Metrics: metrics.map(({ name, unit }) => ({ Name: name, Unit: unit })) }],
  };
}

export function invocationMetrics(counts: { sent: number; failed: number; queued: number; lost: number; durationMs: number }): Record<string, unknown> {
  return {
    Service: METRIC_SERVICE,
    NotificationsSent: counts.sent,
    NotificationFailures: counts.failed,
    RetriesQueued: counts.queued,
    NotificationsLost: counts.lost,
    HandlerDuration: counts.durationMs,
    _aws: emf([
      { name: 'NotificationsSent', unit: 'Count' },
      { name: 'NotificationFailures', unit: 'Count' },
      { name: 'RetriesQueued', unit: 'Count' },
      { name: 'NotificationsLost', unit: 'Count' },
      { name: 'HandlerDuration', unit: 'Milliseconds' },
    ]),
  };
}

/** On the last-resort ERROR line: one notification neither delivered nor queued. */
export function undeliveredMetric(): Record<string, unknown> {
  return { Service: METRIC_SERVICE, UndeliveredPayloadsLogged: 1, _aws: emf([{ name: 'UndeliveredPayloadsLogged', unit: 'Count' }]) };
}
