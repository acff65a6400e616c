import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig, type Config } from '../../src/base/config.ts';
import type { LogLine } from '../../src/base/log.ts';
import type { ChannelResult, EmailPayload, SlackPayload } from '../../src/channels/channel.ts';
import type { SessionItem, SessionStore } from '../../src/sources/sessions.ts';
import { createConnectHandler, type ConnectHandlerDeps } from '../../src/handler/connect.ts';
import type { SettingsSource } from '../../src/pipeline/run.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { FakeChannel, type Behaviour } from '../support/fake-channel.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };

beforeAll(async () => {
  await loadTemplateEngine();
});
// Time is vitest's: budgets are asserted on logged figures, never on the wall clock.
beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-29T08:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A settings read that answers after `ms`, or never (it ignores its own wait: a broken source). */
const slowSettings = (ms: number | 'never', honourWait = true): SettingsSource => ({
  get: (waitMs) =>
    new Promise((resolve) => {
      if (ms === 'never') return;
      setTimeout(() => resolve({ value: { templates: {} }, source: 'fetched' }), honourWait ? Math.min(ms, waitMs) : ms);
    }),
});

function setup(options: { slack?: Behaviour<SlackPayload>; email?: Behaviour<EmailPayload>; settings?: SettingsSource; env?: Record<string, string>; route?: ConnectHandlerDeps['route'] } = {}) {
  const config: Config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C1', NOTIFY_BUDGET_MS: '300', ...options.env }).config;
  const slack = new FakeChannel<SlackPayload>('slack', options.slack);
  const email = new FakeChannel<EmailPayload>('email', options.email);
  const logs: LogLine[] = [];
  const handler = createConnectHandler({ config, settings: options.settings, channels: { slack, email }, route: options.route, log: (line) => logs.push(line) });
  return { handler, slack, email, logs };
}

const lambdaContext = (remaining = 30_000) => ({ getRemainingTimeInMillis: () => remaining, awsRequestId: 'req-1' });

/** Runs one invocation to its end on fake time. */
async function invoke(handler: ReturnType<typeof setup>['handler'], event: unknown = v2, context: object | undefined = lambdaContext()) {
  const answer = handler(event, context as never);
  await vi.runAllTimersAsync();
  return answer;
}

describe('connect handler', () => {
  it('allows, delivers the rendered payloads and logs one line', async () => {
    const { handler, slack, email, logs } = setup();
    expect(await invoke(handler)).toEqual(ALLOW);
    expect(slack.delivered[0]?.channel).toBe('C1');
    expect(slack.delivered[0]?.text).toContain('alice');
    expect(email.delivered[0]).toMatchObject({ topicArn: 'arn:aws:sns:us-east-1:1:t', subject: '[Client VPN] alice connected from 203.0.113.10', endpointId: 'cvpn-endpoint-0abc', eventType: 'connect', route: 'default' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      connectionId: 'cvpn-connection-0123',
      requestId: 'req-1',
      channels: { slack: { status: 'sent', destination: 'C1' }, email: { status: 'sent' } },
      templates: { slack: 'bundled-default' },
      NotificationsSent: 2,
      NotificationFailures: 0,
    });
  });

  it('returns exactly the allow object for any JSON event and never throws', async () => {
    const { handler } = setup();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        expect(await invoke(handler, event)).toEqual(ALLOW);
      }),
      { numRuns: 100 },
    );
  });

  it.each([undefined, null, {}, { getRemainingTimeInMillis: () => { throw new Error('x'); } }])('copes with Lambda context %j', async (context) => {
    const { handler } = setup();
    expect(await invoke(handler, v2, context as never)).toEqual(ALLOW);
  });

  it('a hanging channel is aborted at the deadline; the other still delivers', async () => {
    const { handler, slack, email, logs } = setup({ slack: 'hang' });
    expect(await invoke(handler)).toEqual(ALLOW);
    expect(email.delivered).toHaveLength(1);
    expect(slack.abortedInFlight).toBe(1);
    expect(logs[0]).toMatchObject({ level: 'WARN', budgetMs: 300, channels: { slack: { status: 'timedOut' }, email: { status: 'sent' } }, NotificationFailures: 1 });
    expect(logs[0]?.durationMs).toBeLessThanOrEqual(300);
  });

  it('a channel that throws is contained and reported', async () => {
    const { handler, slack, logs } = setup({ email: 'throw' });
    expect(await invoke(handler)).toEqual(ALLOW);
    expect(slack.delivered).toHaveLength(1);
    expect(logs[0]).toMatchObject({ channels: { email: { status: 'failed', retryable: true, reason: 'channel threw: bug in channel' } } });
  });

  it('hanging template reads get only their share; defaults go out in time', async () => {
    const { handler, slack, email, logs } = setup({ settings: slowSettings('never'), env: { NOTIFY_BUDGET_MS: '1000' } });
    // A source that honours its wait: the cache gives up at the share (400 ms of 1000).
    const honest: SettingsSource = { get: (waitMs) => new Promise((resolve) => setTimeout(() => resolve({ value: undefined, source: 'none', error: `no answer within ${waitMs} ms`, slow: true }), waitMs)) };
    const second = setup({ settings: honest, env: { NOTIFY_BUDGET_MS: '1000' } });
    await invoke(second.handler);
    expect(second.slack.delivered).toHaveLength(1);
    expect(second.email.delivered).toHaveLength(1);
    expect(second.logs[0]).toMatchObject({ templates: { read: 'none', readError: 'no answer within 400 ms', slack: 'bundled-default' }, phases: { templatesMs: 400 } });
    expect(second.logs[0]?.durationMs).toBeLessThan(1000);
    // A source that never answers at all is cut by the deadline: nothing delivered, and it counts.
    expect(await invoke(handler)).toEqual(ALLOW);
    expect(slack.delivered).toHaveLength(0);
    expect(email.delivered).toHaveLength(0);
    expect(logs[0]).toMatchObject({ level: 'WARN', NotificationFailures: 2 });
    // The budget, plus the one timers turn the run gets before it is given up.
    expect(logs[0]?.durationMs).toBe(1001);
  });

  it('uses stored templates and says where they came from', async () => {
    const settings: SettingsSource = { get: async () => ({ value: { templates: { slack: 'Hi {%username%}', 'email-subject': '{{#if}}' } }, source: 'cache' }) };
    const { handler, slack, logs } = setup({ settings });
    await invoke(handler);
    expect(slack.delivered[0]?.text).toBe('Hi alice');
    expect(logs[0]).toMatchObject({ templates: { read: 'cache', slack: 'cache', 'email-subject': 'bundled-default', 'email-body': 'bundled-default' } });
    expect((logs[0]?.templates as Record<string, string>)['email-subjectError']).toMatch(/Parse error/);
  });

  it('keeps a second of Lambda time back when little is left', async () => {
    const { handler, logs } = setup({ slack: 'hang', env: { NOTIFY_BUDGET_MS: '5000' } });
    await invoke(handler, v2, lambdaContext(1200));
    expect(logs[0]).toMatchObject({ budgetMs: 200 });
    expect(logs[0]?.durationMs).toBeLessThanOrEqual(200);
  });

  it('answers at once with no time left, and counts what was not delivered', async () => {
    const { handler, logs } = setup({ slack: 'hang' });
    expect(await invoke(handler, v2, lambdaContext(500))).toEqual(ALLOW);
    expect(logs[0]).toMatchObject({ budgetMs: 0, durationMs: 0, level: 'WARN' });
    expect(logs[0]?.NotificationFailures).toBeGreaterThan(0);
  });

  it('permanent failures are logged with their reason', async () => {
    const { handler, logs } = setup({ slack: 'fail' });
    await invoke(handler);
    expect(logs[0]).toMatchObject({ level: 'WARN', channels: { slack: { status: 'failed', retryable: false, reason: 'channel_not_found' } } });
  });

  // Regression: a run that never reached delivery used to log "notified" with 0 failures.
  it('a run that throws before delivery counts every enabled channel as failed', async () => {
    const { handler, slack, logs } = setup({
      route: () => {
        throw new Error('route step broke');
      },
    });
    expect(await invoke(handler)).toEqual(ALLOW);
    expect(slack.seen).toHaveLength(0);
    expect(logs[0]).toMatchObject({
      level: 'WARN',
      message: 'client connect allowed; some notifications failed',
      error: 'route step broke',
      channels: { slack: { status: 'failed', reason: 'not delivered: route step broke' }, email: { status: 'failed' } },
      NotificationFailures: 2,
      NotificationsSent: 0,
    });
  });

  it('a channel that is off is skipped, not failed, when the run breaks', async () => {
    const config = parseConfig({ SLACK_CHANNEL: 'C1', NOTIFY_BUDGET_MS: '300' }).config;
    const logs: LogLine[] = [];
    const handler = createConnectHandler({
      config,
      settings: undefined,
      channels: { slack: new FakeChannel('slack'), email: new FakeChannel('email', 'send', 'SNS_TOPIC_ARN is not set') },
      route: () => {
        throw new Error('boom');
      },
      log: (line) => logs.push(line),
    });
    await invoke(handler);
    expect(logs[0]).toMatchObject({ channels: { slack: { status: 'failed' }, email: { status: 'skipped', reason: 'SNS_TOPIC_ARN is not set' } }, NotificationFailures: 1 });
  });

  it('a log sink that throws does not deny the connection', async () => {
    const handler = createConnectHandler({
      config: parseConfig({}).config,
      settings: undefined,
      channels: { slack: new FakeChannel('slack'), email: new FakeChannel('email') },
      log: () => {
        throw new Error('stdout closed');
      },
    });
    expect(await invoke(handler)).toEqual(ALLOW);
  });

  describe('routing and Block Kit', () => {
    const routes = JSON.stringify({
      routes: [
        { name: 'admins', when: { groups: ['admins'] }, slack: { channel: 'C0SECURITY', mention: '<!subteam^S0123ABC>' }, email: true, continue: true },
        { name: 'everyone', slack: { channel: 'C0ALL' }, email: false },
      ],
    });
    const withRoutes = (raw: string): SettingsSource => {
      const value = { templates: {}, routes: raw };
      return { get: async () => ({ value, source: 'cache' }) };
    };

    it('delivers one Slack post per matching route with its mention, and one email with the deciding route', async () => {
      const { handler, slack, email, logs } = setup({ settings: withRoutes(routes) });
      await invoke(handler);
      expect(slack.delivered.map((p) => p.channel)).toEqual(['C0SECURITY', 'C0ALL']);
      expect(slack.delivered[0]?.text.startsWith('<!subteam^S0123ABC> ')).toBe(true);
      expect(slack.delivered[1]?.text).not.toContain('<!subteam');
      expect(email.delivered).toHaveLength(1);
      expect(email.delivered[0]?.route).toBe('admins');
      expect(logs[0]).toMatchObject({ route: 'admins', matchedRoutes: ['admins', 'everyone'], NotificationsSent: 3 });
    });

    it('sends Block Kit blocks beside the text, with the Disconnect button only when actions are on', async () => {
      const off = setup();
      await invoke(off.handler);
      const blocks = off.slack.delivered[0]?.blocks as { type: string }[];
      expect(blocks.length).toBeGreaterThan(0);
      expect(JSON.stringify(blocks)).not.toContain('"action_id":"disconnect"');
      const on = setup({ env: { SLACK_ACTIONS: 'on' } });
      await invoke(on.handler);
      expect(JSON.stringify(on.slack.delivered[0]?.blocks)).toContain('"action_id":"disconnect"');
      expect(on.slack.delivered[0]?.text).toContain('alice');
    });

    it('an invalid routes document is reported once per read and the built-in one is used', async () => {
      const settings = withRoutes('{"routes": [{"name": "x", "slack": {"mention": "<!everyone>"}}]}');
      const { handler, slack, email, logs } = setup({ settings });
      await invoke(handler);
      await invoke(handler);
      expect(slack.delivered.map((p) => p.channel)).toEqual(['C1', 'C1']);
      expect(email.delivered).toHaveLength(2);
      expect(logs[0]).toMatchObject({ level: 'WARN', routesError: expect.stringMatching(/routes\[0\]\.slack\.mention/) });
      expect(logs[1]?.routesError).toBeUndefined();
    });
  });

  describe('session table (threads)', () => {
    const posted = async (payload: SlackPayload): Promise<ChannelResult> => ({ status: 'sent', id: '1700000000.000100', detail: { channel: `${payload.channel}-ID`, ts: '1700000000.000100' } });

    function withSessions(put: SessionStore['put']) {
      const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C1', NOTIFY_BUDGET_MS: '300' }).config;
      const logs: LogLine[] = [];
      const slack = new FakeChannel<SlackPayload>('slack', posted);
      const email = new FakeChannel<EmailPayload>('email');
      const sessions: SessionStore = { put, claim: async () => ({ state: 'missing' }), release: async () => undefined };
      const handler = createConnectHandler({ config, settings: undefined, channels: { slack, email }, sessions, log: (line) => logs.push(line) });
      return { handler, logs, email };
    }

    it('after the Slack post, writes one item with the channel ID Slack answered, the ts and the context', async () => {
      const items: SessionItem[] = [];
      const { handler, logs } = withSessions(async (item) => {
        items.push(item);
      });
      await invoke(handler);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ connectionId: 'cvpn-connection-0123', channel: 'C1-ID', ts: '1700000000.000100', posts: [{ channel: 'C1-ID', ts: '1700000000.000100' }], endpointId: 'cvpn-endpoint-0abc', connectedAt: '2026-11-29T08:00:00.000Z' });
      expect(items[0]?.expiresAt).toBe(Date.parse('2026-11-29T08:00:00Z') / 1000 + 7 * 24 * 3600);
      expect(items[0]?.context).toMatchObject({ username: 'alice', status: 'connected' });
      expect(logs[0]).toMatchObject({ level: 'INFO', session: { state: 'done' } });
    });

    it('a hanging write is a WARN and never delays the answer past the budget', async () => {
      const { handler, logs, email } = withSessions(() => new Promise(() => undefined));
      expect(await invoke(handler)).toEqual(ALLOW);
      expect(email.delivered).toHaveLength(1);
      expect(logs[0]).toMatchObject({ level: 'WARN', session: { state: 'timedOut' }, NotificationsSent: 2 });
      expect(logs[0]?.durationMs).toBeLessThanOrEqual(300);
    });

    it('a failed write is a WARN with the reason', async () => {
      const { handler, logs } = withSessions(async () => {
        throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
      });
      await invoke(handler);
      expect(logs[0]).toMatchObject({ level: 'WARN', session: { state: 'failed', reason: 'ResourceNotFoundException: Requested resource not found' }, NotificationFailures: 0 });
    });
  });
});
