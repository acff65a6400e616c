/**
 * CloudWatch Embedded Metric Format fields for the invocation log line: the same line that
 * tells an operator what happened also feeds the alarms, with no extra API call.
 */
export const METRIC_NAMESPACE = 'ClientVpnNotifier';
export const METRIC_SERVICE = 'clientvpn-notifier';

export function invocationMetrics(counts: { sent: number; failed: number; durationMs: number }): Record<string, unknown> {
  return {
    Service: METRIC_SERVICE,
    NotificationsSent: counts.sent,
    NotificationFailures: counts.failed,
    HandlerDuration: counts.durationMs,
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Service']],
          Metrics: [
            { Name: 'NotificationsSent', Unit: 'Count' },
            { Name: 'NotificationFailures', Unit: 'Count' },
            { Name: 'HandlerDuration', Unit: 'Milliseconds' },
          ],
        },
      ],
    },
  };
}
