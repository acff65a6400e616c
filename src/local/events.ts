/**
 * `npm start -- --kind disconnect|connect-failed`: the connection-events function on a sample
 * connection-log entry, with the real pipeline, capturing what Slack and SNS would receive.
 * For a disconnect, the connect handler runs first (with an in-memory session table), so the
 * run shows the thread reply and the update of the connect message, as in a deployment.
 */
import { errorMessage } from '../base/errors.ts';
import { gzipSync } from 'node:zlib';
import { parseConfig } from '../base/config.ts';
import { systemClock } from '../base/deadline.ts';
import type { LogLine } from '../base/log.ts';
import { createConnectionEventsHandler } from '../connection-events/handler.ts';
import { createConnectHandler } from '../handler/connect.ts';
import type { ClaimResult, SessionItem, SessionStore } from '../sources/sessions.ts';
import type { StoredTemplates } from '../sources/templates.ts';
import { capturingChannels, localConfig } from './capture.ts';
import { SAMPLE_EVENT } from './samples.ts';

/** A connection-log entry as Client VPN writes it (contract section 11). */
export const SAMPLE_DISCONNECT_ENTRY = Object.freeze({
  'connection-log-type': 'connection-reset',
  'connection-attempt-status': 'NA',
  'connection-reset-status': 'NA',
  'connection-attempt-failure-reason': 'NA',
  'connection-id': SAMPLE_EVENT['connection-id'],
  'client-vpn-endpoint-id': SAMPLE_EVENT['endpoint-id'],
  'transport-protocol': 'udp',
  'connection-start-time': '2026-11-29 08:00:01',
  'connection-last-update-time': '2026-11-29 10:13:06',
  'client-ip': '10.0.0.130',
  'client-ipv6': 'NA',
  'common-name': SAMPLE_EVENT['common-name'],
  'device-type': 'win',
  'device-ip': SAMPLE_EVENT['public-ip'],
  port: '51234',
  'ingress-bytes': '1234567',
  'egress-bytes': '7654321',
  'ingress-packets': '1000',
  'egress-packets': '2000',
  'connection-end-time': '2026-11-29 10:13:06',
  username: SAMPLE_EVENT.username,
  'connection-duration-seconds': '7985',
  'posture-compliance-statuses': 'NA',
});

export const SAMPLE_FAILED_ENTRY = Object.freeze({
  ...SAMPLE_DISCONNECT_ENTRY,
  'connection-log-type': 'connection-attempt',
  'connection-attempt-status': 'failed',
  'connection-attempt-failure-reason': 'client-connect-handler-timed-out',
  'connection-id': 'cvpn-connection-0fedcba9876543210',
  'connection-last-update-time': '2026-11-29 08:00:01',
  'ingress-bytes': '0',
  'egress-bytes': '0',
  'connection-end-time': 'NA',
  'connection-duration-seconds': '0',
});

/** The session table, in memory, with DynamoDB's conditional-claim behaviour (the local run's and the tests'). */
export class MemorySessions implements SessionStore {
  released: string[] = [];
  readonly items = new Map<string, SessionItem>();
  async put(item: SessionItem) {
    this.items.set(item.connectionId, item);
  }
  async claim(connectionId: string, at: string): Promise<ClaimResult> {
    const item = this.items.get(connectionId);
    if (!item) return { state: 'missing' };
    if (item.disconnectedAt) return { state: 'already-claimed' };
    const claimed = { ...item, disconnectedAt: at };
    this.items.set(connectionId, claimed);
    return { state: 'claimed', item: claimed };
  }
  async release(connectionId: string) {
    this.released.push(connectionId);
    const item = this.items.get(connectionId);
    if (item) this.items.set(connectionId, { ...item, disconnectedAt: undefined } as SessionItem);
  }
}

export async function runLocalEvent(kind: 'disconnect' | 'connect-failed', entry: unknown, stored: StoredTemplates, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const parsed = parseConfig(env);
  for (const warning of parsed.warnings) out(`warning: ${warning}`);
  const config = localConfig(parsed.config);
  const { channels, printed } = capturingChannels(config);
  const settings = { get: async () => ({ value: { templates: stored }, source: Object.keys(stored).length > 0 ? ('fetched' as const) : ('none' as const) }) };
  const sessions = new MemorySessions();
  const logs: LogLine[] = [];
  const log = (line: LogLine): void => {
    logs.push(line);
  };
  const sample = entry ?? (kind === 'disconnect' ? SAMPLE_DISCONNECT_ENTRY : SAMPLE_FAILED_ENTRY);

  if (kind === 'disconnect') {
    // The sample connect happens when the sample entry says the session started.
    const startedAt = Date.parse('2026-11-29T08:00:01Z');
    const offset = startedAt - Date.now();
    const clock = { ...systemClock, now: () => Date.now() + offset };
    const connect = createConnectHandler({ config, settings, channels, sessions, log, clock });
    await connect(SAMPLE_EVENT, { getRemainingTimeInMillis: () => 30_000 });
    out('(the connect notification was posted first, so the disconnect can reply in its thread)');
    out('');
    printed.slack.length = 0;
    printed.sns.length = 0;
    logs.length = 0;
  }
  const events = createConnectionEventsHandler({ config, settings, channels, retryQueue: undefined, sessions, log });
  const data = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/clientvpn/local',
    logStream: 'local',
    subscriptionFilters: ['local'],
    logEvents: [{ id: '1', timestamp: Date.parse('2026-11-29T10:13:07Z'), message: typeof sample === 'string' ? sample : JSON.stringify(sample) }],
  };
  await events({ awslogs: { data: gzipSync(Buffer.from(JSON.stringify(data))).toString('base64') } }).catch((error: unknown) => {
    out(`connection-events would fail the batch (CloudWatch Logs delivers it again): ${errorMessage(error)}`);
  });
  out(printed.slack.join('\n\n') || 'Slack: nothing');
  out('');
  out(printed.sns.join('\n\n') || 'SNS: nothing (the routes do not email this kind)');
  out('');
  for (const line of logs) out(`Log: ${JSON.stringify(line, (key, value) => (key === '_aws' ? undefined : value))}`);
}
