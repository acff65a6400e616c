import { gzipSync } from 'node:zlib';

/** A CloudWatch Logs subscription event, as Lambda receives it, around a decoded payload. */
export function subscriptionEvent(payload: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload), 'utf8')).toString('base64') } };
}

/** A DATA_MESSAGE payload carrying these connection log entries (objects are sent as JSON text). */
export function dataMessage(entries: readonly unknown[], firstTimestamp = Date.UTC(2026, 10, 29, 10, 13, 7)): Record<string, unknown> {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/clientvpn/connections',
    logStream: 'cvpn-endpoint-0abc-ap-northeast-1-2026/11/29-abcdEFGH',
    subscriptionFilters: ['clientvpn-notifier'],
    logEvents: entries.map((entry, i) => ({
      id: `3719525${String(i).padStart(4, '0')}`,
      timestamp: firstTimestamp + i,
      message: typeof entry === 'string' ? entry : JSON.stringify(entry),
    })),
  };
}

/** The CONTROL_MESSAGE CloudWatch Logs sends when a subscription filter is created. */
export const CONTROL_MESSAGE = {
  messageType: 'CONTROL_MESSAGE',
  owner: 'CloudwatchLogs',
  logGroup: '',
  logStream: '',
  subscriptionFilters: [],
  logEvents: [{ id: '', timestamp: 1732867200000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
};
