/**
 * The built slack-actions bundle in fresh Node processes, as Lambda runs it: the real EC2,
 * Secrets Manager and Slack clients over HTTP, against a loopback EC2 fake (query protocol),
 * moto_server's Secrets Manager, the Slack fake, and a recorder standing in for response_url.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelConnection } from '../../src/local/ec2-model.ts';
import { awsClients, createSecret, TEST_ENV_CREDENTIALS } from '../support/aws.ts';
import { startEc2Fake, type Ec2Fake } from '../support/ec2-fake.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { runBundle, type BundleRun, type Step } from '../support/invoke.ts';
import { motoAvailable, startMoto, type Moto } from '../support/moto.ts';
import { listenOnLoopback } from '../support/net.ts';
import { startSlackFake, type SlackFake } from '../support/slack-fake.ts';
import { ADMIN, CHANNEL, CONNECTION, ENDPOINT, MEMBER, MESSAGE_TS, OTHER_ENDPOINT, SIGNING_SECRET, blockActionsBody, signedEvent, slashCommandBody } from '../support/slack-requests.ts';

const ACTIONS_BUNDLE = fileURLToPath(new URL('../../dist/slack-actions/index.mjs', import.meta.url));
const TOKEN = 'xoxb-3333-4444-actionsintegration';
/** Slack gives up after 3 s; the function must have answered well before. */
const SLACK_DEADLINE_MS = 3000;

interface Recorded {
  url: string;
  body: Record<string, unknown>;
}

/** Stands in for Slack's response_url endpoint: records each POST and answers "ok". */
async function startResponseRecorder() {
  const posts: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  const listening = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${listening.port}`, posts, close: listening.close };
}

function sessions(): ModelConnection[] {
  const at = (minute: number) => `2024-05-01 09:${String(minute).padStart(2, '0')}:00`;
  return [
    { endpointId: ENDPOINT, connectionId: CONNECTION, username: 'alice', commonName: 'alice.example.com', clientIp: '203.0.113.10', establishedTime: at(10), status: 'active' },
    { endpointId: ENDPOINT, connectionId: 'cvpn-connection-0aaaaaaaaaaaaaaa1', username: '<!channel>', commonName: '', clientIp: '203.0.113.11', establishedTime: at(40), status: 'active' },
    { endpointId: ENDPOINT, connectionId: 'cvpn-connection-0aaaaaaaaaaaaaaa2', username: 'carol', commonName: '', clientIp: '203.0.113.12', establishedTime: at(20), status: 'terminated' },
    { endpointId: OTHER_ENDPOINT, connectionId: 'cvpn-connection-0bbbbbbbbbbbbbbb1', username: '', commonName: 'dave.example.com', clientIp: '198.51.100.7', establishedTime: at(30), status: 'active' },
  ];
}

describe.skipIf(!motoAvailable())('slack-actions bundle against an EC2 fake, moto Secrets Manager and a Slack fake', () => {
  let moto: Moto;
  let ec2: Ec2Fake;
  let slack: SlackFake;
  let recorder: Awaited<ReturnType<typeof startResponseRecorder>>;
  let secretArn: string;
  const outputs: string[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    ec2 = await startEc2Fake();
    slack = await startSlackFake(TOKEN);
    recorder = await startResponseRecorder();
    secretArn = await createSecret(awsClients(moto.url), 'clientvpn-notifier/slack-actions', JSON.stringify({ token: TOKEN, signingSecret: SIGNING_SECRET }));
  });

  afterAll(async () => {
    await Promise.all([ec2?.close(), slack?.close(), recorder?.close()]);
    await moto?.stop();
  });

  beforeEach(() => {
    ec2.reset([ENDPOINT, OTHER_ENDPOINT], sessions());
    slack.reset();
    recorder.posts.length = 0;
  });

  const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
    ...TEST_ENV_CREDENTIALS,
    AWS_LAMBDA_FUNCTION_NAME: 'clientvpn-notifier-slack-actions',
    AWS_ENDPOINT_URL_EC2: ec2.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.url,
    SLACK_TOKEN_SECRET_ID: secretArn,
    SLACK_API_URL: slack.apiUrl,
    CLIENT_VPN_ENDPOINT_IDS: `${ENDPOINT},${OTHER_ENDPOINT}`,
    SLACK_ADMIN_USERS: ADMIN,
    TIME_ZONE: 'Asia/Tokyo',
    ...overrides,
  });

  /** Runs the bundle and keeps everything it printed or answered, for the secrets check. */
  async function run(steps: Step[], overrides: Record<string, string> = {}): Promise<BundleRun> {
    const result = await runBundle(env(overrides), steps, ACTIONS_BUNDLE);
    outputs.push(result.stdout, result.stderr, JSON.stringify(result.results));
    return result;
  }

  const audits = (result: BundleRun) => result.logs.filter((line) => 'audit' in line).map((line) => line.audit as Record<string, unknown>);
  const responseUrl = (path: string) => `${recorder.url}${path}`;

  it('refuses an unverified request with 401 and touches nothing', async () => {
    const forged = signedEvent(blockActionsBody({ responseUrl: responseUrl('/actions/forged') }), { secret: 'aaaabbbbccccddddeeeeffff00001111' });
    const replayed = signedEvent(slashCommandBody(), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const result = await run([{ event: forged }, { event: replayed }]);
    expect(result.results.map((r) => r.response)).toEqual([
      { statusCode: 401, body: '' },
      { statusCode: 401, body: '' },
    ]);
    expect(ec2.calls).toEqual([]);
    expect(slack.attempts).toBe(0);
    expect(recorder.posts).toEqual([]);
    const warnings = result.logs.filter((line) => line.level === 'WARN');
    expect(warnings.map((line) => line.message)).toEqual([
      'slack request refused (401): signature does not match',
      expect.stringMatching(/^slack request refused \(401\): request timestamp is 30[12] s old/),
    ]);
    expect(result.stdout).not.toContain('cvpn-connection');
  });

  it('lists who is on for a member: every endpoint, all pages, newest first, no buttons', async () => {
    ec2.model.maxPageSize = 2;
    const result = await run([{ event: signedEvent(slashCommandBody({ userId: MEMBER, text: 'who' })) }]);
    const response = result.results[0]!.response as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    const message = JSON.parse(response.body) as { response_type: string; text: string; blocks: { text?: { text: string }; accessory?: unknown }[] };
    expect(message.response_type).toBe('ephemeral');
    expect(message.text).toBe('3 active VPN connections');
    const rows = message.blocks.map((block) => block.text?.text ?? '');
    expect(rows[1]).toBe('*&lt;!channel&gt;* · 203.0.113.11 · since 2024-05-01 18:40:00 Asia/Tokyo\n`cvpn-connection-0aaaaaaaaaaaaaaa1`');
    expect(rows[2]).toContain('*alice* · alice.example.com · 203.0.113.10 · since 2024-05-01 18:10:00 Asia/Tokyo');
    expect(rows.join('\n')).not.toContain('carol');
    expect(message.blocks.some((block) => block.accessory)).toBe(false);
    // Two endpoints; the first has three sessions, so two pages at two a page.
    const describes = ec2.calls.filter((call) => call.action === 'DescribeClientVpnConnections');
    expect(describes.map((call) => [call.params.ClientVpnEndpointId, call.params.NextToken ?? ''])).toEqual(
      expect.arrayContaining([
        [ENDPOINT, ''],
        [ENDPOINT, '2'],
        [OTHER_ENDPOINT, ''],
      ]),
    );
    expect(describes).toHaveLength(3);
    expect(audits(result)).toEqual([expect.objectContaining({ action: 'who', user: { id: MEMBER, name: 'bob' }, decision: 'allowed' })]);
  });

  it('gives an admin a Disconnect button per session, and answers help with the usage', async () => {
    const result = await run([{ event: signedEvent(slashCommandBody({ userId: ADMIN, text: 'who' })) }, { event: signedEvent(slashCommandBody({ text: 'help' })) }]);
    const who = JSON.parse((result.results[0]!.response as { body: string }).body) as { blocks: { accessory?: { action_id: string; value: string } }[] };
    const buttons = who.blocks.flatMap((block) => (block.accessory ? [block.accessory] : []));
    expect(buttons.map((button) => [button.action_id, JSON.parse(button.value)])).toEqual([
      ['disconnect', { endpointId: ENDPOINT, connectionId: 'cvpn-connection-0aaaaaaaaaaaaaaa1' }],
      ['disconnect', { endpointId: ENDPOINT, connectionId: CONNECTION }],
      ['disconnect', { endpointId: OTHER_ENDPOINT, connectionId: 'cvpn-connection-0bbbbbbbbbbbbbbb1' }],
    ]);
    const help = JSON.parse((result.results[1]!.response as { body: string }).body) as { text: string };
    expect(help.text).toContain('`/vpn who`');
  });

  it('disconnects for an admin (base64 body, as function URLs send forms) and replies in the thread', async () => {
    const event = signedEvent(blockActionsBody({ userId: ADMIN, responseUrl: responseUrl('/actions/1') }), { base64: true });
    const result = await run([{ event }]);
    expect(result.results[0]!.response).toEqual({ statusCode: 200, body: '' });
    expect(ec2.calls.map((call) => [call.action, call.params.ClientVpnEndpointId, call.params.ConnectionId])).toEqual([['TerminateClientVpnConnections', ENDPOINT, CONNECTION]]);
    expect(ec2.model.connections.find((c) => c.connectionId === CONNECTION)?.status).toBe('terminating');
    expect(slack.posts).toEqual([
      expect.objectContaining({
        channel: CHANNEL,
        text: `<@${ADMIN}> disconnected this session (\`${CONNECTION}\` on \`${ENDPOINT}\`: terminating).`,
        fields: expect.objectContaining({ thread_ts: MESSAGE_TS }),
      }),
    ]);
    expect(recorder.posts).toEqual([]);
    expect(audits(result)).toEqual([
      {
        action: 'disconnect',
        user: { id: ADMIN, name: 'alice.admin' },
        endpointId: ENDPOINT,
        connectionId: CONNECTION,
        decision: 'allowed',
        ec2: { status: 'ok', previousStatus: 'active', currentStatus: 'terminating' },
        reply: { via: 'thread', outcome: { status: 'sent' } },
      },
    ]);
    expect(result.logs.find((line) => 'audit' in line)).toMatchObject({ ConnectionsTerminated: 1, _aws: { CloudWatchMetrics: [{ Namespace: 'ClientVpnNotifier' }] } });
  });

  it('refuses a member and an unconfigured endpoint: nothing terminated, an ephemeral reason to the clicker', async () => {
    const member = signedEvent(blockActionsBody({ userId: MEMBER, userName: 'bob', responseUrl: responseUrl('/actions/member') }));
    const elsewhere = signedEvent(
      blockActionsBody({ userId: ADMIN, value: JSON.stringify({ endpointId: 'cvpn-endpoint-0999', connectionId: CONNECTION }), responseUrl: responseUrl('/actions/elsewhere') }),
    );
    const result = await run([{ event: member }, { event: elsewhere }]);
    expect(result.results.map((r) => r.response)).toEqual([
      { statusCode: 200, body: '' },
      { statusCode: 200, body: '' },
    ]);
    expect(ec2.calls).toEqual([]);
    expect(slack.posts).toEqual([]);
    expect(recorder.posts).toEqual([
      { url: '/actions/member', body: expect.objectContaining({ response_type: 'ephemeral', replace_original: false, text: expect.stringContaining('You are not allowed') }) },
      { url: '/actions/elsewhere', body: expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('may not act on endpoint `cvpn-endpoint-0999`') }) },
    ]);
    expect(audits(result).map((a) => [a.user, a.decision, a.reason])).toEqual([
      [{ id: MEMBER, name: 'bob' }, 'refused', 'not-admin'],
      [{ id: ADMIN, name: 'alice.admin' }, 'refused', 'endpoint-not-configured'],
    ]);
  });

  it('answers within Slack\'s 3 s when EC2 hangs, saying the disconnect is still in progress', async () => {
    ec2.fault = 'hang';
    const result = await run([
      { event: signedEvent(blockActionsBody({ responseUrl: responseUrl('/actions/hang') })) },
      { event: signedEvent(slashCommandBody({ userId: ADMIN })) },
    ]);
    for (const step of result.results) expect(step.ms).toBeLessThan(SLACK_DEADLINE_MS - 300);
    // The cold start counts for Slack too: import, secret read and answer.
    expect(result.results[0]!.sinceProcessStart).toBeLessThan(SLACK_DEADLINE_MS + 500);
    expect(result.results[0]!.response).toEqual({ statusCode: 200, body: '' });
    expect(slack.posts[0]?.text).toMatch(/asked to disconnect this session .*still in progress, EC2 had not confirmed after 1\.\d s/);
    const who = JSON.parse((result.results[1]!.response as { body: string }).body) as { text: string };
    expect(who.text).toBe('0 active VPN connections (2 of 2 endpoints could not be listed)');
    expect(audits(result)[0]).toMatchObject({ ec2: { status: 'timedOut' } });
  });

  it('reports an EC2 5xx in the thread instead of failing the request', async () => {
    ec2.fault = '5xx';
    const result = await run([{ event: signedEvent(blockActionsBody()) }]);
    expect(result.results[0]!.response).toEqual({ statusCode: 200, body: '' });
    expect(slack.posts[0]?.text).toContain('tried to disconnect this session');
    expect(audits(result)[0]).toMatchObject({ ec2: { status: 'failed' } });
  });

  it('answers 503 in time, doing nothing, when Secrets Manager hangs (no secret, no trust)', async () => {
    const proxy = await startFaultProxy(moto.url);
    try {
      proxy.fault = 'hang';
      const result = await run([{ event: signedEvent(blockActionsBody()) }], { AWS_ENDPOINT_URL_SECRETS_MANAGER: proxy.url });
      expect(result.results[0]!.response).toEqual({ statusCode: 503, body: '' });
      expect(result.results[0]!.ms).toBeLessThan(SLACK_DEADLINE_MS - 300);
      expect(ec2.calls).toEqual([]);
      expect(slack.attempts).toBe(0);
      expect(result.logs.find((line) => line.level === 'ERROR')?.message).toMatch(/^slack request not handled \(503\): the signing secret is unavailable/);
    } finally {
      await proxy.close();
    }
  });

  it('loads and answers without any configuration: 503, and a warning at init', async () => {
    const result = await runBundle({}, [{ event: signedEvent(slashCommandBody()) }], ACTIONS_BUNDLE);
    outputs.push(result.stdout, result.stderr);
    expect(result.results[0]!.response).toEqual({ statusCode: 503, body: '' });
    expect(result.logs[0]).toMatchObject({ level: 'WARN', message: 'configuration: SLACK_TOKEN_SECRET_ID is not set: no request can be verified, every one is answered 503' });
  });

  it('never prints or answers the bot token or the signing secret', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(9 * 3 - 1);
    const everything = outputs.join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SIGNING_SECRET);
    // Nor the HMAC key's tell-tale pieces.
    expect(everything).not.toContain(SIGNING_SECRET.slice(0, 12));
  });
});
