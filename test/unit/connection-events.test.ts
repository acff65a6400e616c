import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/base/config.ts';
import type { LogLine } from '../../src/base/log.ts';
import type { ChannelResult, EmailPayload, SlackPayload } from '../../src/channels/channel.ts';
import { createConnectionEventsHandler, UndeliveredError } from '../../src/connection-events/handler.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import type { QueuedItem, RetryQueue } from '../../src/retry/queue.ts';
import type { SessionItem, SessionStore } from '../../src/sources/sessions.ts';
import { MemorySessions } from '../../src/local/events.ts';
import { dataMessage, subscriptionEvent } from '../support/awslogs.ts';
import { FakeChannel, type Behaviour } from '../support/fake-channel.ts';
import disconnect from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import handlerTimedOut from '../fixtures/connection-log/failed-handler-timed-out.json' with { type: 'json' };
import successful from '../fixtures/connection-log/attempt-successful.json' with { type: 'json' };

beforeAll(async () => {
  await loadTemplateEngine();
});


const connectContext = { connectionId: 'cvpn-connection-0abc', endpointId: 'cvpn-endpoint-0abc', username: 'alice', commonName: 'alice.example.com', platform: 'mac', groups: ['admins'], publicIp: '203.0.113.10', kind: 'connect', status: 'connected', mention: '', actionsEnabled: false, localTime: '2026-11-29 08:00:01 UTC', time: '2026-11-29T08:00:01.000Z' };
const storedSession = (): SessionItem => ({
  connectionId: 'cvpn-connection-0abc',
  endpointId: 'cvpn-endpoint-0abc',
  channel: 'C0123',
  ts: '1700000000.000100',
  posts: [{ channel: 'C0123', ts: '1700000000.000100' }],
  context: connectContext,
  connectedAt: '2026-11-29T08:00:01.000Z',
  expiresAt: 1_800_000_000,
});

function setup(options: { slack?: Behaviour<SlackPayload>; queue?: RetryQueue; sessions?: SessionStore; env?: Record<string, string> } = {}) {
  const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C0123', NOTIFY_BUDGET_MS: '500', ...options.env }).config;
  const slack = new FakeChannel<SlackPayload>('slack', options.slack);
  const email = new FakeChannel<EmailPayload>('email');
  const logs: LogLine[] = [];
  const handler = createConnectionEventsHandler({ config, settings: undefined, channels: { slack, email }, retryQueue: options.queue, sessions: options.sessions, log: (line) => logs.push(line) });
  return { handler, slack, email, logs };
}

const batch = (...entries: unknown[]) => subscriptionEvent(dataMessage(entries));
const batchLine = (logs: LogLine[]) => logs.find((line) => 'counts' in line) as LogLine & { counts: Record<string, number> };

describe('connection-events', () => {
  it('a disconnect without a session posts at top level, and emails with event-type disconnect', async () => {
    const { handler, slack, email, logs } = setup({ sessions: new MemorySessions() });
    await handler(batch(disconnect));
    expect(slack.delivered).toHaveLength(1);
    expect(slack.delivered[0]).toMatchObject({ channel: 'C0123' });
    expect(slack.delivered[0]?.threadTs).toBeUndefined();
    expect(slack.delivered[0]?.text).toContain('alice');
    expect(slack.delivered[0]?.text).toContain('2h 13m 05s');
    // The built-in routes email connects and failed attempts only, not disconnects.
    expect(email.delivered).toHaveLength(0);
    expect(batchLine(logs)).toMatchObject({ level: 'INFO', counts: { disconnect: 1 }, NotificationsSent: 1, HandlerDenials: 0 });
  });

  it('a disconnect whose connect is known replies in the thread and turns the parent into the status line', async () => {
    const sessions = new MemorySessions();
    await sessions.put(storedSession());
    const { handler, slack } = setup({ sessions });
    await handler(batch(disconnect));
    const reply = slack.delivered.find((p) => p.threadTs);
    const update = slack.delivered.find((p) => p.updateTs);
    expect(reply).toMatchObject({ channel: 'C0123', threadTs: '1700000000.000100' });
    expect(update).toMatchObject({ channel: 'C0123', updateTs: '1700000000.000100' });
    expect(update?.text).toMatch(/disconnected after 2h 13m 05s/);
    expect(update?.text).toContain('1.2 MiB');
    expect(slack.delivered).toHaveLength(2);
  });

  it('the same disconnect delivered twice is notified once', async () => {
    const sessions = new MemorySessions();
    await sessions.put(storedSession());
    const { handler, slack, logs } = setup({ sessions });
    await handler(batch(disconnect));
    await handler(batch(disconnect));
    expect(slack.delivered).toHaveLength(2);
    expect(batchLine(logs.slice(1))).toMatchObject({ counts: { disconnect: 1, duplicate: 1 } });
  });

  it('a failed attempt caused by the connect handler counts HandlerDenials and says so', async () => {
    const { handler, slack, email, logs } = setup();
    await handler(batch(handlerTimedOut, successful));
    expect(slack.delivered).toHaveLength(1);
    expect(slack.delivered[0]?.text).toMatch(/connect handler/i);
    expect(email.delivered[0]).toMatchObject({ eventType: 'connect-failed' });
    expect(batchLine(logs)).toMatchObject({ counts: { 'connect-failed': 1, ignored: 1 }, HandlerDenials: 1 });
  });

  it('an entry that cannot be parsed is logged with its first 500 characters and skipped', async () => {
    const { handler, slack, logs } = setup();
    await handler(batch(`not json ${'x'.repeat(2000)}`, disconnect));
    expect(slack.delivered).toHaveLength(1);
    const skipped = logs.find((line) => String(line.message).startsWith('connection log entry skipped'));
    expect(String(skipped?.excerpt).length).toBeLessThanOrEqual(500);
    expect(batchLine(logs)).toMatchObject({ counts: { unparseable: 1, disconnect: 1 } });
  });

  it('Slack failing retryably with a queue: queued, and the batch resolves', async () => {
    const items: QueuedItem[] = [];
    const queue: RetryQueue = { send: async (batchItems) => (items.push(...batchItems), []) };
    const fail = async (): Promise<ChannelResult> => ({ status: 'failed', retryable: true, reason: 'ratelimited', retryAfterSeconds: 1 });
    const { handler } = setup({ slack: fail, queue });
    await expect(handler(batch(disconnect))).resolves.toBeUndefined();
    expect(items).toHaveLength(1);
    expect(items[0]?.message).toMatchObject({ channel: 'slack', payload: { channel: 'C0123' } });
  });

  it('Slack failing retryably without a queue: the batch throws, and the claim is given back for the redelivery', async () => {
    const sessions = new MemorySessions();
    await sessions.put(storedSession());
    const fail = async (): Promise<ChannelResult> => ({ status: 'failed', retryable: true, reason: 'HTTP 503' });
    const { handler } = setup({ slack: fail, sessions, env: { RETRY_QUEUE_URL: '' } });
    await expect(handler(batch(disconnect))).rejects.toThrow(UndeliveredError);
    expect(sessions.released).toEqual(['cvpn-connection-0abc']);
    expect(sessions.items.get('cvpn-connection-0abc')?.disconnectedAt).toBeUndefined();
  });

  it('a permanent failure is logged, not thrown: retrying cannot fix it', async () => {
    const { handler, logs } = setup({ slack: 'fail' });
    await expect(handler(batch(disconnect))).resolves.toBeUndefined();
    expect(batchLine(logs)).toMatchObject({ level: 'WARN', NotificationFailures: 1, NotificationsLost: 0 });
  });

  it('any bytes in awslogs.data and any JSON as an entry never throw', async () => {
    const { handler } = setup();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string().map((data) => ({ awslogs: { data } })), fc.jsonValue().map((entry) => batch(entry)), fc.jsonValue()), async (event) => {
        await expect(handler(event)).resolves.toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  // Review findings: nothing may be lost, even when a step breaks or time runs short.
  it('a notification run that breaks counts as lost: the batch throws so that it is delivered again', async () => {
    const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C0123', NOTIFY_BUDGET_MS: '500' }).config;
    const handler = createConnectionEventsHandler({
      config,
      settings: { get: async () => Promise.reject(new Error('settings source broke')) },
      channels: { slack: new FakeChannel('slack'), email: new FakeChannel('email') },
      retryQueue: undefined,
      sessions: undefined,
      log: () => undefined,
    });
    await expect(handler(batch(disconnect))).rejects.toThrow(UndeliveredError);
  });

  it('a route that mutes Slack for disconnects mutes the thread reply too; the status line is still updated', async () => {
    const sessions = new MemorySessions();
    await sessions.put(storedSession());
    const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C0123', NOTIFY_BUDGET_MS: '500' }).config;
    const slack = new FakeChannel<SlackPayload>('slack');
    const routes = JSON.stringify({ routes: [{ name: 'quiet-disconnects', when: { events: ['disconnect'] }, slack: false, email: false }] });
    const value = { templates: {}, routes };
    const handler = createConnectionEventsHandler({ config, settings: { get: async () => ({ value, source: 'cache' }) }, channels: { slack, email: new FakeChannel('email') }, retryQueue: undefined, sessions, log: () => undefined });
    await handler(batch(disconnect));
    expect(slack.delivered.filter((p) => p.threadTs)).toHaveLength(0);
    expect(slack.delivered.filter((p) => p.updateTs)).toHaveLength(1);
  });

  it('with too little Lambda time left to deliver, a notification is rendered and queued for the worker, not attempted', async () => {
    const items: QueuedItem[] = [];
    const queue: RetryQueue = { send: async (batchItems) => (items.push(...batchItems), []) };
    const { handler, slack } = setup({ queue });
    await handler(batch(disconnect), { getRemainingTimeInMillis: () => 1200 });
    expect(slack.seen).toHaveLength(0);
    expect(items.map((item) => item.message.channel)).toEqual(['slack']);
    expect(items[0]?.message.reason).toMatch(/not attempted: too little Lambda time left/);
  });
});
