import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/base/config.ts';
import type { Channel, ChannelResult, DeliveryContext, EmailPayload, SlackPayload } from '../../src/channels/channel.ts';
import { createConnectHandler, type TemplateSource } from '../../src/handler/connect.ts';
import type { LogLine } from '../../src/base/log.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };

type Behaviour = 'send' | 'hang' | 'throw' | 'fail';

class FakeChannel<P> implements Channel<P> {
  readonly limits = { maxText: { amount: 100, unit: 'characters' as const } };
  readonly disabledReason = undefined;
  readonly delivered: P[] = [];
  abortedInFlight = 0;
  constructor(
    readonly name: 'slack' | 'email',
    private behaviour: Behaviour = 'send',
  ) {}
  async deliver(payload: P, context: DeliveryContext): Promise<ChannelResult> {
    if (this.behaviour === 'throw') throw new Error('bug in channel');
    if (this.behaviour === 'fail') return { status: 'failed', retryable: false, reason: 'channel_not_found' };
    if (this.behaviour === 'hang') {
      return new Promise((resolve) =>
        context.signal.addEventListener('abort', () => {
          this.abortedInFlight += 1;
          resolve({ status: 'timedOut', reason: 'aborted' });
        }),
      );
    }
    this.delivered.push(payload);
    return { status: 'sent' };
  }
}

const hangingTemplates: TemplateSource = {
  get: (waitMs) => new Promise((resolve) => setTimeout(() => resolve({ value: undefined, source: 'none', error: `no answer within ${waitMs} ms` }), waitMs)),
};

function setup(options: { slack?: Behaviour; email?: Behaviour; templates?: TemplateSource; env?: Record<string, string> } = {}) {
  const config: Config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C1', NOTIFY_BUDGET_MS: '300', ...options.env }).config;
  const slack = new FakeChannel<SlackPayload>('slack', options.slack);
  const email = new FakeChannel<EmailPayload>('email', options.email);
  const logs: LogLine[] = [];
  const handler = createConnectHandler({ config, templates: options.templates, slack, email, log: (line) => logs.push(line) });
  return { handler, slack, email, logs };
}

const lambdaContext = (remaining = 30_000) => ({ getRemainingTimeInMillis: () => remaining, awsRequestId: 'req-1' });

describe('connect handler', () => {
  it('allows, delivers the rendered payloads and logs one line', async () => {
    const { handler, slack, email, logs } = setup();
    expect(await handler(v2, lambdaContext())).toEqual(ALLOW);
    expect(slack.delivered[0]?.channel).toBe('C1');
    expect(slack.delivered[0]?.text).toContain('alice');
    expect(email.delivered[0]).toMatchObject({ topicArn: 'arn:aws:sns:us-east-1:1:t', subject: '[Client VPN] alice connected from 203.0.113.10', endpointId: 'cvpn-endpoint-0abc' });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      connectionId: 'cvpn-connection-0123',
      requestId: 'req-1',
      channels: { slack: { status: 'sent' }, email: { status: 'sent' } },
      templates: { slack: 'bundled-default' },
      NotificationsSent: 2,
      NotificationFailures: 0,
    });
  });

  it('returns exactly the allow object for any JSON event and never throws', async () => {
    const { handler } = setup();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (event) => {
        expect(await handler(event, lambdaContext())).toEqual(ALLOW);
      }),
      { numRuns: 100 },
    );
  });

  it.each([undefined, null, {}, { getRemainingTimeInMillis: () => { throw new Error('x'); } }])('copes with Lambda context %j', async (context) => {
    const { handler } = setup();
    expect(await handler(v2, context as never)).toEqual(ALLOW);
  });

  it('a hanging channel is aborted at the deadline; the other still delivers', async () => {
    const { handler, slack, email, logs } = setup({ slack: 'hang' });
    const started = performance.now();
    expect(await handler(v2, lambdaContext())).toEqual(ALLOW);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 150);
    expect(email.delivered).toHaveLength(1);
    expect(slack.abortedInFlight).toBe(1);
    expect(logs[0]).toMatchObject({ level: 'WARN', channels: { slack: { status: 'timedOut' }, email: { status: 'sent' } }, NotificationFailures: 1 });
  });

  it('a channel that throws is contained and reported', async () => {
    const { handler, slack, logs } = setup({ email: 'throw' });
    expect(await handler(v2, lambdaContext())).toEqual(ALLOW);
    expect(slack.delivered).toHaveLength(1);
    expect(logs[0]).toMatchObject({ channels: { email: { status: 'failed', retryable: true, reason: 'channel threw: bug in channel' } } });
  });

  it('hanging template reads get only their share; defaults go out in time', async () => {
    const { handler, slack, email, logs } = setup({ templates: hangingTemplates, env: { NOTIFY_BUDGET_MS: '1000' } });
    const started = performance.now();
    await handler(v2, lambdaContext());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(slack.delivered).toHaveLength(1);
    expect(email.delivered).toHaveLength(1);
    expect(logs[0]).toMatchObject({ templates: { read: 'none', readError: 'no answer within 400 ms', slack: 'bundled-default' } });
  });

  it('uses stored templates and says where they came from', async () => {
    const templates: TemplateSource = { get: async () => ({ value: { slack: 'Hi {%username%}', 'email-subject': '{{#if}}' }, source: 'cache' }) };
    const { handler, slack, logs } = setup({ templates });
    await handler(v2, lambdaContext());
    expect(slack.delivered[0]?.text).toBe('Hi alice');
    expect(logs[0]).toMatchObject({ templates: { read: 'cache', slack: 'cache', 'email-subject': 'bundled-default', 'email-body': 'bundled-default' } });
    expect((logs[0]?.templates as Record<string, string>)['email-subjectError']).toMatch(/Parse error/);
  });

  it('keeps a second of Lambda time back when little is left', async () => {
    const { handler, logs } = setup({ slack: 'hang', env: { NOTIFY_BUDGET_MS: '5000' } });
    const started = performance.now();
    await handler(v2, lambdaContext(1200));
    expect(performance.now() - started).toBeLessThan(200 + 150);
    expect(logs[0]).toMatchObject({ budgetMs: 200 });
  });

  it('answers at once with no time left', async () => {
    const { handler, logs } = setup({ slack: 'hang' });
    expect(await handler(v2, lambdaContext(500))).toEqual(ALLOW);
    expect(logs[0]).toMatchObject({ budgetMs: 0 });
  });

  it('permanent failures are logged with their reason', async () => {
    const { handler, logs } = setup({ slack: 'fail' });
    await handler(v2, lambdaContext());
    expect(logs[0]).toMatchObject({ level: 'WARN', channels: { slack: { status: 'failed', retryable: false, reason: 'channel_not_found' } } });
  });

  it('a log sink that throws does not deny the connection', async () => {
    const config = parseConfig({}).config;
    const handler = createConnectHandler({
      config,
      templates: undefined,
      slack: new FakeChannel('slack'),
      email: new FakeChannel('email'),
      log: () => {
        throw new Error('stdout closed');
      },
    });
    expect(await handler(v2, lambdaContext())).toEqual(ALLOW);
  });
});
