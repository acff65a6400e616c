/**
 * The built bundle, in fresh Node processes, with the real AWS SDK clients and the real Slack
 * client over HTTP: against moto_server (through fault-injecting proxies) and a loopback
 * Slack fake. Every fault of every dependency must still end in "allow", on time, with the
 * other channels delivered.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { awsClients, createSecret, deleteTemplate, drainTopic, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue, type AwsClients } from '../support/aws.ts';
import { startFaultProxy, type AwsFault, type FaultProxy } from '../support/fault-proxy.ts';
import { invocationLogs, runBundle } from '../support/invoke.ts';
import { EARLY_READ_USER_AGENT } from '../../src/sources/early-reads.ts';
import { motoAvailable, startMoto, type Moto } from '../support/moto.ts';
import { closedPort } from '../support/net.ts';
import { startSlackFake, type SlackFake, type SlackFault } from '../support/slack-fake.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };
import hostile from '../fixtures/event-hostile.json' with { type: 'json' };

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };
const TOKEN = 'xoxb-1111-2222-integrationtoken';
const PATH = '/clientvpn-notifier/it';
const BUDGET_MS = 1500;
/** Answer "within the budget plus a few milliseconds": timers and the process add a little. */
const MARGIN_MS = 100;

describe.skipIf(!motoAvailable())('connect handler bundle against moto_server and a Slack fake', () => {
  let moto: Moto;
  let aws: AwsClients;
  let slack: SlackFake;
  const proxies = {} as Record<'ssm' | 'secrets' | 'sns', FaultProxy>;
  let topic: { topicArn: string; queueUrl: string };
  let secretArn: string;
  let refusedUrl: string;

  beforeAll(async () => {
    moto = await startMoto();
    aws = awsClients(moto.url);
    slack = await startSlackFake(TOKEN);
    proxies.ssm = await startFaultProxy(moto.url);
    proxies.secrets = await startFaultProxy(moto.url);
    proxies.sns = await startFaultProxy(moto.url);
    topic = await topicWithQueue(aws, 'vpn-connect');
    secretArn = await createSecret(aws, 'clientvpn-notifier/slack', JSON.stringify({ token: TOKEN }));
    refusedUrl = `http://127.0.0.1:${await closedPort()}`;
  });

  afterAll(async () => {
    await Promise.all([slack?.close(), ...Object.values(proxies).map((p) => p.close())]);
    await moto?.stop();
  });

  beforeEach(async () => {
    slack.reset();
    for (const proxy of Object.values(proxies)) proxy.reset();
    await drainTopic(aws, topic.queueUrl);
    for (const name of ['slack', 'email-subject', 'email-body']) await deleteTemplate(aws, `${PATH}/${name}`);
  });

  const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
    ...TEST_ENV_CREDENTIALS,
    AWS_LAMBDA_FUNCTION_NAME: 'AWSClientVPN-it',
    AWS_ENDPOINT_URL_SSM: proxies.ssm.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: proxies.secrets.url,
    AWS_ENDPOINT_URL_SNS: proxies.sns.url,
    SNS_TOPIC_ARN: topic.topicArn,
    SLACK_TOKEN_SECRET_ID: secretArn,
    SLACK_CHANNEL: 'C0VPNALERTS',
    SLACK_API_URL: slack.apiUrl,
    TEMPLATE_PARAMETER_PATH: PATH,
    NOTIFY_BUDGET_MS: String(BUDGET_MS),
    TIME_ZONE: 'Asia/Tokyo',
    ...overrides,
  });

  it('renders the stored templates and delivers them to SNS and Slack', async () => {
    await putTemplate(aws, `${PATH}/slack`, ':bell: {%username%} from {%publicIp%} {%#if groups%}[{%join groups "/"%}]{%/if%} raw={%{platform}%}');
    await putTemplate(aws, `${PATH}/email-subject`, 'VPN: {%upper username%} @ {%endpointId%}');
    await putTemplate(aws, `${PATH}/email-body`, 'User {%username%}\nAt {%localTime%}\nLiteral \\{% kept %}');

    const run = await runBundle(env(), [{ event: hostile }]);
    expect(run.results[0]?.response).toEqual(ALLOW);

    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]?.fields).toMatchObject({ channel: 'C0VPNALERTS', unfurl_links: 'false', unfurl_media: 'false' });
    expect(slack.posts[0]?.fields).not.toHaveProperty('link_names');
    expect(slack.posts[0]?.text).toBe(':bell: &lt;!channel&gt; &amp; &lt;@U123&gt;gnp.exe Injected: yes from 198.51.100.7 [admins/&lt;!everyone&gt;] raw=<!here>');

    const published = await drainTopic(aws, topic.queueUrl);
    expect(published).toHaveLength(1);
    expect(published[0]?.Subject).toBe('VPN: <!CHANNEL> & <@U123>GNP.EXE INJECTED: YES @ cvpn-endpoint-0abc');
    expect(published[0]?.Message).toMatch(/^User <!channel> & <@U123>gnp.exe Injected: yes\nAt \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia\/Tokyo\nLiteral \{% kept %\}$/);
    expect(published[0]?.MessageAttributes).toEqual({
      'event-type': { Type: 'String', Value: 'connect' },
      route: { Type: 'String', Value: 'default' },
      'endpoint-id': { Type: 'String', Value: 'cvpn-endpoint-0abc' },
    });

    const [log] = invocationLogs(run);
    expect(log).toMatchObject({ connectionId: 'cvpn-connection-0666', channels: { slack: { status: 'sent' }, email: { status: 'sent' } }, templates: { read: 'parameter-store', slack: 'parameter-store' } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('uses the bundled defaults when no parameter exists, and omits endpoint-id when the event has none', async () => {
    const run = await runBundle(env(), [{ event: { username: 'bob' } }]);
    expect(run.results[0]?.response).toEqual(ALLOW);
    expect(slack.posts[0]?.text).toContain('*Client VPN connection*: *bob*');
    const [message] = await drainTopic(aws, topic.queueUrl);
    expect(message?.Subject).toBe('[Client VPN] bob connected from unknown address');
    expect(Object.keys(message?.MessageAttributes ?? {})).toEqual(['event-type', 'route']);
  });

  it('reads templates and token once per TTL: a warm call makes no request, an edit shows after the TTL', async () => {
    await putTemplate(aws, `${PATH}/slack`, 'version one {%username%}');
    const running = runBundle(env({ CACHE_TTL_SECONDS: '2' }), [{ event: v2 }, { event: v2 }, { event: v2, waitMs: 2600 }]);
    // Edit the parameter once the first invocation has used what it read; the warm call right
    // after it must still use the cache.
    while (slack.posts.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await putTemplate(aws, `${PATH}/slack`, 'version two {%username%}');
    const run = await running;

    expect(run.results.map((r) => r.response)).toEqual([ALLOW, ALLOW, ALLOW]);
    expect(slack.posts.map((p) => p.text)).toEqual(['version one alice', 'version one alice', 'version two alice']);
    expect(proxies.ssm.requests).toEqual(['AmazonSSM.GetParameters', 'AmazonSSM.GetParameters']);
    expect(proxies.secrets.requests).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue']);
    const logs = invocationLogs(run);
    expect(logs.map((l) => (l.templates as { read: string }).read)).toEqual(['parameter-store', 'cache', 'parameter-store']);
  });

  it('serves the cached templates when Parameter Store fails after the TTL (stale-on-error)', async () => {
    await putTemplate(aws, `${PATH}/slack`, 'stored {%username%}');
    const running = runBundle(env({ CACHE_TTL_SECONDS: '1' }), [{ event: v2 }, { event: v2, waitMs: 1300 }]);
    while (slack.posts.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    proxies.ssm.fault = '5xx';
    const run = await running;
    expect(slack.posts.map((p) => p.text)).toEqual(['stored alice', 'stored alice']);
    expect(invocationLogs(run)[1]).toMatchObject({ templates: { read: 'stale', slack: 'stale' } });
  });

  type Dependency = 'ssm' | 'secrets' | 'sns' | 'slack';
  type Fault = 'hang' | '5xx' | 'throttle' | 'refused';
  const matrix: [Dependency, Fault][] = (['ssm', 'secrets', 'sns', 'slack'] as const).flatMap((dep) =>
    (['hang', '5xx', 'throttle', 'refused'] as const).map((fault) => [dep, fault] as [Dependency, Fault]),
  );

  it.each(matrix)('%s %s: allow within the budget, every other channel delivered', async (dependency, fault) => {
    await putTemplate(aws, `${PATH}/slack`, 'custom {%username%}');
    const overrides: Record<string, string> = {};
    if (dependency === 'slack') {
      if (fault === 'refused') overrides.SLACK_API_URL = `${refusedUrl}/api/`;
      else slack.fault = (fault === 'throttle' ? '429' : fault) as SlackFault;
    } else {
      const variable = { ssm: 'AWS_ENDPOINT_URL_SSM', secrets: 'AWS_ENDPOINT_URL_SECRETS_MANAGER', sns: 'AWS_ENDPOINT_URL_SNS' }[dependency];
      if (fault === 'refused') overrides[variable] = refusedUrl;
      else proxies[dependency].fault = fault as AwsFault;
    }

    const run = await runBundle(env(overrides), [{ event: v2 }]);
    const [result] = run.results;
    expect(result?.response).toEqual(ALLOW);
    expect(result?.ms).toBeLessThanOrEqual(BUDGET_MS + MARGIN_MS);

    const [log] = invocationLogs(run);
    const channels = log?.channels as Record<string, { status: string; retryable?: boolean }>;
    const published = await drainTopic(aws, topic.queueUrl);

    if (dependency === 'sns') {
      expect(published).toHaveLength(0);
      expect(['failed', 'timedOut']).toContain(channels.email?.status);
    } else {
      expect(published).toHaveLength(1);
      expect(published[0]?.Subject).toBe('[Client VPN] alice connected from 203.0.113.10');
      expect(channels.email?.status).toBe('sent');
    }

    if (dependency === 'slack' || dependency === 'secrets') {
      expect(slack.posts).toHaveLength(0);
      expect(['failed', 'timedOut']).toContain(channels.slack?.status);
      if (channels.slack?.status === 'failed') expect(channels.slack.retryable).toBe(true);
    } else {
      expect(slack.posts).toHaveLength(1);
      // When Parameter Store is down the bundled default goes out instead of the stored template.
      expect(slack.posts[0]?.text).toContain(dependency === 'ssm' ? '*Client VPN connection*: *alice*' : 'custom alice');
      expect(channels.slack?.status).toBe('sent');
    }
    if (dependency === 'ssm') expect(log).toMatchObject({ templates: { read: 'none', slack: 'bundled-default' } });
    if (dependency === 'slack' && fault === 'throttle') expect(slack.attempts).toBe(1);
  });

  describe('early reads: the first stage signs and sends the cold start\'s two reads itself (issue 14)', () => {
    const STORED = ':bell: {%username%} via the stored template';
    const early = (agent: string) => agent === EARLY_READ_USER_AGENT;
    const warnings = (run: { logs: Record<string, unknown>[] }) => run.logs.filter((l) => l.level === 'WARN').map((l) => String(l.message));

    it('answers the first invocation from the early reads: one read per service, none by the SDK', async () => {
      await putTemplate(aws, `${PATH}/slack`, STORED);
      const run = await runBundle(env(), [{ event: v2 }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      expect(slack.posts[0]?.text).toBe(':bell: alice via the stored template');
      expect(proxies.ssm.requests).toEqual(['AmazonSSM.GetParameters']);
      expect(proxies.secrets.requests).toEqual(['secretsmanager.GetSecretValue']);
      expect([...proxies.ssm.userAgents, ...proxies.secrets.userAgents].every(early)).toBe(true);
      expect(invocationLogs(run)[0]).toMatchObject({ channels: { slack: { status: 'sent' }, email: { status: 'sent' } }, templates: { read: 'parameter-store', slack: 'parameter-store' } });
      expect(warnings(run)).toEqual([]);
    });

    it.each([
      ['ssm', '5xx', /early read failed, the SDK client reads instead: EarlyReadError: ssm AmazonSSM\.GetParameters: HTTP 503/],
      ['ssm', 'throttle', /early read failed, the SDK client reads instead: EarlyReadError: ssm AmazonSSM\.GetParameters: HTTP 400 ThrottlingException/],
      ['secrets', '5xx', /early read failed, the SDK client reads instead: EarlyReadError: secretsmanager secretsmanager\.GetSecretValue: HTTP 503/],
    ] as const)('an early read of %s answered %s: logged, the SDK reads again, and the stored template and token are used', async (service, fault, warning) => {
      await putTemplate(aws, `${PATH}/slack`, STORED);
      proxies[service].fault = fault as AwsFault;
      proxies[service].faultOnly = early;
      const run = await runBundle(env(), [{ event: v2 }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      expect(slack.posts.map((p) => p.text)).toEqual([':bell: alice via the stored template']);
      expect(proxies[service].userAgents.map((agent) => (early(agent) ? 'early' : 'sdk'))).toEqual(['early', 'sdk']);
      expect(warnings(run)).toEqual([expect.stringMatching(warning)]);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });

    it('an early read that hangs is given up with the invocation\'s read share (not left running), and the next invocation reads through the SDK', async () => {
      await putTemplate(aws, `${PATH}/slack`, STORED);
      proxies.ssm.fault = 'hang';
      proxies.ssm.faultOnly = early;
      const run = await runBundle(env(), [{ event: v2 }, { event: v2 }]);
      expect(run.results.map((r) => r.response)).toEqual([ALLOW, ALLOW]);
      expect(run.results[0]?.ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
      const [first, second] = invocationLogs(run);
      expect(first).toMatchObject({ templates: { read: 'none', readError: expect.stringMatching(/no answer within/) }, channels: { slack: { status: 'sent' }, email: { status: 'sent' } } });
      expect(warnings(run)).toContainEqual('early read failed, the SDK client reads instead: EarlyReadError: ssm AmazonSSM.GetParameters: given up by its reader');
      expect(second).toMatchObject({ templates: { read: 'parameter-store', slack: 'parameter-store' } });
      expect(proxies.ssm.userAgents.map((agent) => (early(agent) ? 'early' : 'sdk'))).toEqual(['early', 'sdk']);
      expect(slack.posts.map((p) => p.text).at(-1)).toBe(':bell: alice via the stored template');
    });

    it('an early read to a closed port: the SDK reads (and is refused too), the connection is allowed on time with the defaults', async () => {
      const run = await runBundle(env({ AWS_ENDPOINT_URL_SSM: refusedUrl }), [{ event: v2 }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      expect(run.results[0]?.ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
      expect(warnings(run)).toContainEqual(expect.stringMatching(/early read failed, the SDK client reads instead: EarlyReadError: ssm AmazonSSM\.GetParameters: connect ECONNREFUSED/));
      expect(invocationLogs(run)[0]).toMatchObject({ channels: { slack: { status: 'sent' }, email: { status: 'sent' } }, templates: { read: 'none' } });
    });

    it('leaves the reads to the SDK where a profile or config file could change what it resolves (AWS_PROFILE set), and says so', async () => {
      await putTemplate(aws, `${PATH}/slack`, STORED);
      const run = await runBundle(env({ AWS_PROFILE: 'default' }), [{ event: v2 }]);
      expect(run.results[0]?.response).toEqual(ALLOW);
      expect(run.logs.map((l) => l.message)).toContain('early reads off (an AWS profile or config file is set): the SDK reads at init');
      expect([...proxies.ssm.userAgents, ...proxies.secrets.userAgents].some(early)).toBe(false);
      // The Lambda bundles take credentials from the environment only (src/base/lambda-credentials.ts): the SDK reads with them.
      expect(proxies.ssm.requests).toEqual(['AmazonSSM.GetParameters']);
      expect(slack.posts.map((p) => p.text)).toEqual([':bell: alice via the stored template']);
    });
  });
});
