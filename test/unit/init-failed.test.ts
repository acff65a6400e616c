import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/base/log.ts';
import { initFailedHandler } from '../../src/handler/init-failed.ts';

describe('connect handler whose init failed', () => {
  it('allows every connection and counts each as a failed notification in EMF, so the alarm fires', async () => {
    const logs: LogLine[] = [];
    const handler = initFailedHandler(new TypeError('boom'), (line) => logs.push(line));
    expect(await handler({ username: 'alice' })).toEqual({ allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' });
    expect(logs[0]).toMatchObject({ level: 'ERROR', message: expect.stringMatching(/init failed.*TypeError: boom/) });
    const line = logs[1] as LogLine & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    expect(line).toMatchObject({ level: 'ERROR', NotificationFailures: 1, Service: 'clientvpn-notifier' });
    expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'ClientVpnNotifier', Dimensions: [['Service']], Metrics: [{ Name: 'NotificationFailures' }] });
  });
});
