/**
 * Who hears what (contract sections 13, 14): a routes document in Parameter Store (moto),
 * read by the built connect handler and connection-events bundles, decides the Slack channels,
 * mentions and email; Slack gets Block Kit blocks beside the text fallback, and no username can
 * break or extend them. Fresh Node processes, real SDK clients, the Slack fake.
 */
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClients, createSecret, deleteTemplate, drainTopic, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue, type AwsClients, type SnsEnvelope } from '../support/aws.ts';
import { dataMessage, subscriptionEvent } from '../support/awslogs.ts';
import { batchLogs, EVENTS_BUNDLE, gate, invocationLogs, runBundle, type BundleRun } from '../support/invoke.ts';
import { motoAvailable, startMoto, type Moto } from '../support/moto.ts';
import { startSlackFake, type SlackFake, type SlackPost } from '../support/slack-fake.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };
import disconnectFixture from '../fixtures/connection-log/disconnect.json' with { type: 'json' };
import failedPolicy from '../fixtures/connection-log/failed-authorization-policy.json' with { type: 'json' };

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };
const TOKEN = 'xoxb-3333-4444-routingtoken';
const TEMPLATES = '/routing-it/templates';
const ROUTES = '/routing-it/routes';
const FALLBACK_CHANNEL = 'C0FALLBACK';
const PROD = 'cvpn-endpoint-0b0d0000000000f01';

const DOCUMENT = {
  routes: [
    { name: 'ci-robots', when: { users: ['ci-*'] }, slack: false, email: false },
    { name: 'admins', when: { groups: ['admins'] }, slack: { channel: 'C0SECURITY', mention: '<!subteam^S0123ABC>' }, email: true, continue: true },
    { name: 'prod', when: { endpoints: [PROD] }, slack: { channel: 'C0PROD' }, email: false },
    { name: 'oncall-failures', when: { events: ['connect-failed'] }, slack: { channel: 'C0ONCALL', mention: '<!here>' }, email: true },
  ],
  default: { slack: { channel: 'C0GENERAL' }, email: { events: ['connect'] } },
};

const connectEvent = (fields: Record<string, unknown>) => ({ ...v2, ...fields });
const batch = (...entries: unknown[]) => subscriptionEvent(dataMessage(entries));

describe.skipIf(!motoAvailable())('routing and Block Kit through the built bundles', () => {
  let moto: Moto;
  let aws: AwsClients;
  let slack: SlackFake;
  let topic: { topicArn: string; queueUrl: string };
  let secretArn: string;

  beforeAll(async () => {
    moto = await startMoto();
    aws = awsClients(moto.url);
    slack = await startSlackFake(TOKEN);
    topic = await topicWithQueue(aws, 'vpn-routing');
    secretArn = await createSecret(aws, 'routing/slack', JSON.stringify({ token: TOKEN }));
    // moto loads SSM's backend on first use (about a second): not inside a handler's read share.
    await aws.ssm.send(new GetParametersCommand({ Names: ['/warm-up'] }));
  });
  afterAll(async () => {
    await slack?.close();
    await moto?.stop();
  });
  beforeEach(async () => {
    slack.reset();
    await drainTopic(aws, topic.queueUrl);
    await putTemplate(aws, ROUTES, JSON.stringify(DOCUMENT));
    for (const name of ['slack', 'slack-blocks', 'connect-failed/slack']) await deleteTemplate(aws, `${TEMPLATES}/${name}`);
  });

  const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
    ...TEST_ENV_CREDENTIALS,
    AWS_LAMBDA_FUNCTION_NAME: 'AWSClientVPN-routing-it',
    AWS_ENDPOINT_URL: moto.url,
    SNS_TOPIC_ARN: topic.topicArn,
    SLACK_TOKEN_SECRET_ID: secretArn,
    SLACK_CHANNEL: FALLBACK_CHANNEL,
    SLACK_API_URL: slack.apiUrl,
    TEMPLATE_PARAMETER_PATH: TEMPLATES,
    ROUTES_PARAMETER: ROUTES,
    NOTIFY_BUDGET_MS: '3000',
    ...overrides,
  });

  /** What one notification produced: where Slack posts went (with their text), and the emails. */
  async function outcome(run: BundleRun) {
    for (const result of run.results) expect(result.threw).toBeUndefined();
    const emails: SnsEnvelope[] = await drainTopic(aws, topic.queueUrl);
    return {
      slack: slack.posts.map((p) => p.channel),
      texts: slack.posts.map((p) => p.text),
      emails: emails.length,
      routeAttributes: emails.map((e) => e.MessageAttributes?.route?.Value),
      eventTypes: emails.map((e) => e.MessageAttributes?.['event-type']?.Value),
    };
  }

  describe('a routes document in Parameter Store decides channels, mentions and email', () => {
    it('by group, with continue: two channels (the route with a mention first) and one email whose route is the first match', async () => {
      const run = await runBundle(env(), [{ event: connectEvent({ 'endpoint-id': PROD, groups: 'admins,dev' }) }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      const out = await outcome(run);
      expect(out.slack).toEqual(['C0SECURITY', 'C0PROD']);
      expect(out.texts[0]).toMatch(/^<!subteam\^S0123ABC> /);
      expect(out.texts[1]).not.toContain('<!subteam');
      expect(out.emails).toBe(1);
      expect(out.routeAttributes).toEqual(['admins']);
      expect(invocationLogs(run)[0]).toMatchObject({ route: 'admins', matchedRoutes: ['admins', 'prod'] });
    });

    it('by group alone: the security channel with its mention, and email', async () => {
      const out = await outcome(await runBundle(env(), [{ event: connectEvent({ groups: ['admins'] }) }]));
      expect(out).toMatchObject({ slack: ['C0SECURITY'], emails: 1, routeAttributes: ['admins'] });
      expect(out.texts[0]).toMatch(/^<!subteam\^S0123ABC> :closed_lock_with_key: \*Client VPN connection\*: \*alice\*/);
    });

    it('by endpoint: the prod channel, no email (the route says so)', async () => {
      const out = await outcome(await runBundle(env(), [{ event: connectEvent({ 'endpoint-id': PROD, groups: 'dev', username: 'bob' }) }]));
      expect(out).toMatchObject({ slack: ['C0PROD'], emails: 0 });
      expect(out.texts[0]).toMatch(/^:closed_lock_with_key: \*Client VPN connection\*: \*bob\*/);
    });

    it.each([
      ['a username, case-insensitively', { username: 'CI-Runner-7', groups: 'admins' }],
      ['the common name when the username is empty', { username: '', 'common-name': 'ci-deploy.example.com', groups: 'admins' }],
    ])('by user glob (%s): muted, nothing delivered even for an admin', async (_, fields) => {
      const run = await runBundle(env(), [{ event: connectEvent(fields) }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      const out = await outcome(run);
      expect(out).toMatchObject({ slack: [], emails: 0 });
      expect(slack.attempts).toBe(0);
      expect(invocationLogs(run)[0]).toMatchObject({ route: 'ci-robots' });
    });

    it('nothing matched: the default channel, and email because default lists connect', async () => {
      const out = await outcome(await runBundle(env(), [{ event: connectEvent({ groups: 'dev', username: 'carol' }) }]));
      expect(out).toMatchObject({ slack: ['C0GENERAL'], emails: 1, routeAttributes: ['default'] });
    });

    it('by kind, in connection-events: a failed attempt pages on-call with email; a disconnect goes to default without email; a robot stays muted', async () => {
      const failed = { ...failedPolicy, username: 'dave', 'client-vpn-endpoint-id': 'cvpn-endpoint-0abc' };
      const disconnect = { ...disconnectFixture, 'connection-id': 'cvpn-connection-0nothread', username: 'erin' };
      const robot = { ...disconnectFixture, 'connection-id': 'cvpn-connection-0robot', username: 'ci-nightly' };
      const run = await runBundle(env(), [{ event: batch(failed) }, { event: batch(disconnect) }, { event: batch(robot) }], EVENTS_BUNDLE);
      expect(run.results.map((r) => r.resolved)).toEqual([true, true, true]);
      const out = await outcome(run);
      expect(out.slack).toEqual(['C0ONCALL', 'C0GENERAL']);
      expect(out.texts[0]).toMatch(/^<!here> :no_entry: \*Failed Client VPN connection attempt\*: \*dave\*/);
      expect(out.texts[1]).toContain('*erin* disconnected after 2h 13m 05s');
      expect(out.emails).toBe(1);
      expect(out.eventTypes).toEqual(['connect-failed']);
      expect(out.routeAttributes).toEqual(['oncall-failures']);
      expect(batchLogs(run).map((line) => (line.notifications as { route?: string }[])[0]?.route)).toEqual(['oncall-failures', 'default', 'ci-robots']);
    });
  });

  describe('an invalid document', () => {
    const INVALID = JSON.stringify({ routes: [{ name: 'x', when: { users: ['*'] }, slack: { channel: 'C0X', mention: '@channel' } }], defualt: {} });

    it('connect handler: the built-in document is used and the WARN routesError is logged once per read', async () => {
      await putTemplate(aws, ROUTES, INVALID);
      const run = await runBundle(env(), [{ event: v2 }, { event: v2 }]);
      expect(run.results.map((r) => r.response)).toEqual([ALLOW, ALLOW]);
      const out = await outcome(run);
      // The built-in document: SLACK_CHANNEL, and email for connect.
      expect(out.slack).toEqual([FALLBACK_CHANNEL, FALLBACK_CHANNEL]);
      expect(out.emails).toBe(2);
      const [first, second] = invocationLogs(run);
      expect(first).toMatchObject({ level: 'WARN', route: 'default' });
      expect(first?.routesError).toContain('routes[0].slack.mention');
      expect(first?.routesError).toContain('defualt');
      expect(second).not.toHaveProperty('routesError');
      expect(second).toMatchObject({ level: 'INFO' });
      expect(run.logs.filter((line) => JSON.stringify(line).includes('routes[0].slack.mention'))).toHaveLength(1);
    });

    it('connection-events: the built-in document is used and the error is logged once per read', async () => {
      await putTemplate(aws, ROUTES, INVALID);
      const failed = { ...failedPolicy, username: 'dave' };
      const run = await runBundle(env(), [{ event: batch(failed) }, { event: batch(failed) }], EVENTS_BUNDLE);
      expect(run.results.map((r) => r.resolved)).toEqual([true, true]);
      const out = await outcome(run);
      expect(out.slack).toEqual([FALLBACK_CHANNEL, FALLBACK_CHANNEL]);
      expect(out.emails).toBe(2);
      expect(run.logs.filter((line) => JSON.stringify(line).includes('routes[0].slack.mention'))).toHaveLength(1);
      const [first, second] = batchLogs(run);
      expect(first).toMatchObject({ level: 'WARN' });
      expect(first?.routesError).toContain('routes[0].slack.mention');
      expect(second).not.toHaveProperty('routesError');
      expect(second).toMatchObject({ level: 'INFO' });
    });
  });

  it('a routes edit takes effect after CACHE_TTL_SECONDS in a warm process', async () => {
    const only = (channel: string) => JSON.stringify({ routes: [], default: { slack: { channel }, email: false } });
    await putTemplate(aws, ROUTES, only('C0BEFORE'));
    const edited = gate();
    // The second invocation starts only after the edit, and more than the 1 s TTL after the first read.
    const running = runBundle(env({ CACHE_TTL_SECONDS: '1' }), [{ event: v2 }, { event: v2, gate: edited.path, waitMs: 1200 }]);
    for (let i = 0; slack.posts.length === 0; i += 1) {
      if (i > 3000) throw new Error('the first invocation never posted');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await putTemplate(aws, ROUTES, only('C0AFTER'));
    edited.open();
    const run = await running;
    expect(run.results.map((r) => r.response)).toEqual([ALLOW, ALLOW]);
    expect(slack.posts.map((p) => p.channel)).toEqual(['C0BEFORE', 'C0AFTER']);
    expect(invocationLogs(run).map((l) => (l.templates as { read: string }).read)).toEqual(['parameter-store', 'parameter-store']);
  });

  describe('Block Kit', () => {
    /** Every string anywhere in a JSON value. */
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : value && typeof value === 'object' ? Object.values(value).flatMap(strings) : [];

    it('sends the stored blocks (stored {% %} form) with the Slack text as the fallback', async () => {
      await putTemplate(aws, ROUTES, JSON.stringify({ routes: [], default: { slack: { mention: '<@U0ONCALL1>' }, email: false } }));
      await putTemplate(aws, `${TEMPLATES}/slack`, 'fallback: {%username%} on {%endpointId%}');
      await putTemplate(aws, `${TEMPLATES}/slack-blocks`, '[{"type":"section","text":{"type":"mrkdwn","text":"{%{mention}%} *{%username%}* [{%join groups%}]"}},{"type":"divider"}]');
      const run = await runBundle(env(), [{ event: v2 }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      const [post] = slack.posts;
      expect(post?.text).toBe('fallback: alice on cvpn-endpoint-0abc');
      expect(post?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '<@U0ONCALL1> *alice* [admins]' } }, { type: 'divider' }]);
      expect(invocationLogs(run)[0]).toMatchObject({ templates: { slack: 'parameter-store', 'slack-blocks': 'parameter-store' } });
    });

    it('without a stored blocks template: the bundled default blocks beside the text', async () => {
      await runBundle(env(), [{ event: connectEvent({ groups: 'dev', username: 'carol' }) }]);
      const [post] = slack.posts;
      expect(post?.text).toContain('*Client VPN connection*: *carol*');
      expect(Array.isArray(post?.blocks)).toBe(true);
      const blocks = post?.blocks as { type: string; text?: { text: string } }[];
      expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
      expect(blocks[0]?.text?.text).toContain('carol connected');
    });

    const HOSTILE_USERNAMES = [
      '"}]',
      '\\',
      '<!channel>',
      'line one\nline two',
      'x"},{"type":"section","text":{"type":"mrkdwn","text":"<!channel>"}}],"y',
      '\\"}]},{"type":"divider"},{"a":"',
      '{%{mention}%}{{{mention}}}',
      '\u0000\u001b[31m\u2028end',
    ];

    it.each([
      ['a stored blocks template', '[{"type":"section","text":{"type":"mrkdwn","text":"*{%username%}* from {%publicIp%}"}},{"type":"context","elements":[{"type":"mrkdwn","text":"{%commonName%}"}]}]'],
      ['the bundled default blocks', undefined],
    ])('injection attempts through usernames never add a block or break the JSON (%s)', async (_, stored) => {
      if (stored) await putTemplate(aws, `${TEMPLATES}/slack-blocks`, stored);
      const benign = connectEvent({ username: 'plain', 'common-name': 'plain.example.com', groups: 'dev' });
      const hostile = HOSTILE_USERNAMES.map((username) => connectEvent({ username, 'common-name': username, groups: 'dev' }));
      const run = await runBundle(env(), [benign, ...hostile].map((event) => ({ event })));
      expect(run.results.every((r) => JSON.stringify(r.response) === JSON.stringify(ALLOW))).toBe(true);
      expect(slack.posts).toHaveLength(1 + HOSTILE_USERNAMES.length);

      const [reference, ...attacked] = slack.posts as [SlackPost, ...SlackPost[]];
      const shape = (blocks: unknown) => (blocks as { type: string }[]).map((b) => b.type);
      for (const [i, post] of attacked.entries()) {
        const username = HOSTILE_USERNAMES[i]!;
        // The fake parsed the raw field: it is one JSON array, with the same blocks as the benign message.
        expect(() => JSON.parse(post.rawBlocks ?? 'missing') as unknown).not.toThrow();
        expect(shape(post.blocks), username).toEqual(shape(reference.blocks));
        const texts = strings(post.blocks);
        expect(texts.some((t) => t.includes('<!channel>')), username).toBe(false);
        expect(texts.some((t) => t.includes('<!here>') || t.includes('<!subteam')), username).toBe(false);
        expect(post.text).not.toContain('<!channel>');
        // The username still shows (escaped for mrkdwn, control characters aside).
        if (username === '<!channel>') expect(texts.some((t) => t.includes('&lt;!channel&gt;'))).toBe(true);
        if (username === '"}]') expect(texts.some((t) => t.includes('"}]'))).toBe(true);
        if (username === '\\') expect(texts.some((t) => t.includes('\\'))).toBe(true);
      }
      expect(invocationLogs(run).every((line) => !('slack-blocksError' in ((line.templates as object | undefined) ?? {})))).toBe(true);
    });
  });
});
