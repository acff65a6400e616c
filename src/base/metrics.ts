/**
 * CloudWatch Embedded Metric Format fields for the invocation log line: the same line that
 * tells an operator what happened also feeds the alarms, with no extra API call.
 *
 * Why not Powertools for AWS Lambda's Logger and Metrics (measured, issue 9): bundled the way
 * scripts/bundle.ts bundles, they add 34 KB (+5 %, +10 KB gzip) to the connect handler and 3-4 ms
 * of import CPU on its cold path (72.4 → 76.5 ms on Node 20, 98.4 → 101.6 ms on Node 24, median
 * of 20 fresh processes), the path the person connecting waits for and that issue 14 must bring
 * below a bare SDK program. What they would give (a cold-start flag, the request id, one EMF
 * block per invocation) is two fields and this function, and the line's shape is pinned by tests.
 */
import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS } from './contract.ts';

export { METRIC_NAMESPACE, METRIC_SERVICE };

export type MetricUnit = 'Count' | 'Milliseconds';

/** The EMF fields for a set of metrics (name → value and unit), in the `Service` dimension. */
export function emfFields(metrics: Readonly<Record<string, { readonly value: number; readonly unit: MetricUnit }>>): Record<string, unknown> {
  const values = Object.fromEntries(Object.entries(metrics).map(([name, { value }]) => [name, value]));
  return {
    Service: METRIC_SERVICE,
    ...values,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['Service']], Metrics: Object.entries(metrics).map(([name, { unit }]) => ({ Name: name, Unit: unit })) }],
    },
  };
}

export function invocationMetrics(counts: { sent: number; failed: number; queued: number; lost: number; durationMs: number }): Record<string, unknown> {
  return emfFields({
    [METRICS.sent]: { value: counts.sent, unit: 'Count' },
    [METRICS.failures]: { value: counts.failed, unit: 'Count' },
    [METRICS.queued]: { value: counts.queued, unit: 'Count' },
    [METRICS.lost]: { value: counts.lost, unit: 'Count' },
    [METRICS.duration]: { value: counts.durationMs, unit: 'Milliseconds' },
  });
}

/** On the last-resort ERROR line: one notification neither delivered nor queued. */
export function undeliveredMetric(): Record<string, unknown> {
  return emfFields({ [METRICS.undeliveredLogged]: { value: 1, unit: 'Count' } });
}
