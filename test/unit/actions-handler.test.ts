import { describe, expect, it } from 'vitest';
import type { DisconnectTarget } from '../../src/actions/authorize.ts';
import type { ActionsConfig } from '../../src/actions/config.ts';
import type { ActiveConnection, ClientVpnApi, TerminateOutcome } from '../../src/actions/ec2.ts';
import { createActionsHandler, type SecretSource } from '../../src/actions/handler.ts';
import type { EphemeralMessage } from '../../src/actions/messages.ts';
import type { ReplyOutcome, SlackReplies, ThreadReply } from '../../src/actions/slack-replies.ts';
import type { LogLine } from '../../src/base/log.ts';
import { ADMIN, CHANNEL, CONNECTION, ENDPOINT, MEMBER, MESSAGE_TS, OTHER_ENDPOINT, SIGNING_SECRET, blockActionsBody, signedEvent, slashCommandBody } from '../support/slack-requests.ts';

const TOKEN = 'xoxb-1111-2222-handlertesttoken';
const CONFIG: ActionsConfig = Object.freeze({
  slackTokenSecretId: 'clientvpn-notifier/slack',
  endpointIds: [ENDPOINT, OTHER_ENDPOINT],
  adminUsers: [ADMIN],
  slackApiUrl: 'https://slack.com/api/',
  timeZone: 'UTC',
  cacheTtlSeconds: 60,
  region: 'us-east-1',
});
/** Short, so the "EC2 hangs" cases finish quickly; the proportions are the real ones. */
const ANSWER_MS = 1200;

const never = <T>(signal: AbortSignal): Promise<T> =>
  new Promise<T>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));

const secret = (value: string | undefined, error?: string): SecretSource => ({
  get: async () => (value === undefined ? { value, source: 'none', error } : { value, source: 'cache' }),
});

function alice(endpointId: string, n: number, minutesAgo: number): ActiveConnection {
  return {
    endpointId,
    connectionId: `cvpn-connection-00000000000000a${n}`,
    username: `user${n}`,
    commonName: `user${n}.example.com`,
    clientIp: `10.0.0.${n}`,
    establishedAt: new Date(Date.UTC(2024, 4, 1, 9, 60 - minutesAgo)),
  };
}

function harness(options: { ec2?: Partial<ClientVpnApi>; signingSecret?: SecretSource; token?: SecretSource; thread?: ReplyOutcome; onTerminated?: boolean; config?: Partial<ActionsConfig> } = {}) {
  const calls = { listed: [] as string[], terminated: [] as DisconnectTarget[], threads: [] as { token: string; reply: ThreadReply }[], responses: [] as { url: string; message: EphemeralMessage }[], sessionUpdates: [] as string[] };
  const logs: LogLine[] = [];
  const ec2: ClientVpnApi = {
    listActive: options.ec2?.listActive ?? (async (endpointId) => (calls.listed.push(endpointId), endpointId === ENDPOINT ? [alice(endpointId, 1, 30), alice(endpointId, 2, 5)] : [])),
    terminate:
      options.ec2?.terminate ??
      (async (target): Promise<TerminateOutcome> => {
        calls.terminated.push(target);
        return { previousStatus: 'active', currentStatus: 'terminating' };
      }),
  };
  const slack: SlackReplies = {
    async postThreadReply(token, reply) {
      calls.threads.push({ token, reply });
      return options.thread ?? { status: 'sent' };
    },
    async respond(url, message) {
      calls.responses.push({ url, message });
      return { status: 'sent' };
    },
  };
  const handler = createActionsHandler({
    config: { ...CONFIG, ...options.config },
    signingSecret: options.signingSecret ?? secret(SIGNING_SECRET),
    token: options.token ?? secret(TOKEN),
    ec2,
    slack,
    log: (line) => logs.push(line),
    answerWithinMs: ANSWER_MS,
    onTerminated: options.onTerminated ? async (endpointId, connectionId) => void calls.sessionUpdates.push(`${endpointId}/${connectionId}`) : undefined,
  });
  const audits = () => logs.filter((line) => 'audit' in line).map((line) => line.audit as Record<string, unknown>);
  return { handler, calls, logs, audits };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('slack-actions handler: verification comes first', () => {
  it('answers an unverified request 401 and does nothing else: one WARN line, no body, a metric', async () => {
    const { handler, calls, logs } = harness();
    const body = blockActionsBody();
    const result = await handler(signedEvent(body, { secret: 'ffffeeeeddddccccbbbbaaaa99998888' }));
    expect(result).toEqual({ statusCode: 401, body: '' });
    expect(calls).toEqual({ listed: [], terminated: [], threads: [], responses: [], sessionUpdates: [] });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'WARN', message: 'slack request refused (401): signature does not match', sourceIp: '192.0.2.44', SlackRequestsUnverified: 1 });
    const printed = JSON.stringify(logs);
    expect(printed).not.toContain('disconnect');
    expect(printed).not.toContain(SIGNING_SECRET);
  });

  it('answers 503 and logs an ERROR when the signing secret cannot be read: nothing is trusted', async () => {
    const { handler, calls, logs } = harness({ signingSecret: secret(undefined, 'ResourceNotFoundException: no such secret') });
    const result = await handler(signedEvent(blockActionsBody()));
    expect(result.statusCode).toBe(503);
    expect(calls.terminated).toEqual([]);
    expect(logs).toEqual([{ level: 'ERROR', message: 'slack request not handled (503): the signing secret is unavailable: ResourceNotFoundException: no such secret' }]);
  });

  it('answers 503 without even reading a secret when SLACK_TOKEN_SECRET_ID is not set', async () => {
    let reads = 0;
    const { handler } = harness({ config: { slackTokenSecretId: undefined }, signingSecret: { get: async () => (reads++, { value: SIGNING_SECRET, source: 'cache' }) } });
    expect((await handler(signedEvent(slashCommandBody()))).statusCode).toBe(503);
    expect(reads).toBe(0);
  });
});

describe('slack-actions handler: the Disconnect button', () => {
  it('terminates for an admin on a configured endpoint and replies in the thread with the result', async () => {
    const { handler, calls, audits, logs } = harness({ onTerminated: true });
    const result = await handler(signedEvent(blockActionsBody({ userId: ADMIN })));
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(calls.terminated).toEqual([{ endpointId: ENDPOINT, connectionId: CONNECTION }]);
    expect(calls.threads).toEqual([
      { token: TOKEN, reply: { channel: CHANNEL, threadTs: MESSAGE_TS, text: `<@${ADMIN}> disconnected this session (\`${CONNECTION}\` on \`${ENDPOINT}\`: terminating).` } },
    ]);
    expect(calls.responses).toEqual([]);
    expect(calls.sessionUpdates).toEqual([`${ENDPOINT}/${CONNECTION}`]);
    expect(audits()).toEqual([
      {
        action: 'disconnect',
        user: { id: ADMIN, name: 'alice.admin' },
        endpointId: ENDPOINT,
        connectionId: CONNECTION,
        decision: 'allowed',
        ec2: { status: 'ok', previousStatus: 'active', currentStatus: 'terminating', sessionUpdate: 'updated' },
        reply: { via: 'thread', outcome: { status: 'sent' } },
      },
    ]);
    expect(logs[0]).toMatchObject({ level: 'INFO', ConnectionsTerminated: 1, SlackActionRefusals: 0, TerminationFailures: 0 });
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it.each([
    ['a member who is not an admin', { userId: MEMBER }, 'not-admin', 'You are not allowed to disconnect VPN sessions'],
    ['an endpoint that is not configured', { value: JSON.stringify({ endpointId: 'cvpn-endpoint-0999', connectionId: CONNECTION }) }, 'endpoint-not-configured', 'may not act on endpoint `cvpn-endpoint-0999`'],
    ['a value that names no session', { value: '{"endpointId":"<!channel>"}' }, 'malformed-value', 'does not name a VPN session'],
  ])('refuses %s: nothing terminated, the reason only to the clicking user', async (_name, fields, reason, says) => {
    const { handler, calls, audits, logs } = harness();
    const result = await handler(signedEvent(blockActionsBody(fields)));
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(calls.terminated).toEqual([]);
    expect(calls.threads).toEqual([]);
    expect(calls.responses).toHaveLength(1);
    expect(calls.responses[0]!.url).toBe('https://hooks.slack.com/actions/T0TEAM0001/2222/efgh');
    expect(calls.responses[0]!.message).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining(says) });
    expect(audits()).toEqual([expect.objectContaining({ action: 'disconnect', decision: 'refused', reason, reply: { via: 'response_url', outcome: { status: 'sent' } } })]);
    expect(logs[0]).toMatchObject({ level: 'WARN', SlackActionRefusals: 1, ConnectionsTerminated: 0, TerminationFailures: 0 });
  });

  it('answers a click on an ephemeral /vpn who list through response_url, not in a thread', async () => {
    const { handler, calls } = harness();
    await handler(signedEvent(blockActionsBody({ ephemeral: true })));
    expect(calls.terminated).toHaveLength(1);
    expect(calls.threads).toEqual([]);
    expect(calls.responses.map((r) => r.message.text)).toEqual([`<@${ADMIN}> disconnected this session (\`${CONNECTION}\` on \`${ENDPOINT}\`: terminating).`]);
  });

  it('reports an EC2 failure in the thread, and counts it', async () => {
    const { handler, calls, logs } = harness({
      ec2: {
        terminate: async () => {
          throw Object.assign(new Error("The connection ID 'cvpn-connection-0123456789abcdef0' does not exist"), { name: 'InvalidClientVpnConnectionId.NotFound' });
        },
      },
    });
    await handler(signedEvent(blockActionsBody()));
    expect(calls.threads[0]!.reply.text).toBe(
      `<@${ADMIN}> tried to disconnect this session (\`${CONNECTION}\` on \`${ENDPOINT}\`), but it failed: InvalidClientVpnConnectionId.NotFound: The connection ID 'cvpn-connection-0123456789abcdef0' does not exist`,
    );
    expect(logs[0]).toMatchObject({ ConnectionsTerminated: 0, TerminationFailures: 1, audit: { ec2: { status: 'failed' } } });
  });

  it('answers in time when EC2 hangs, saying the disconnect is still in progress', async () => {
    const { handler, calls, logs } = harness({ ec2: { terminate: (_target, signal) => never(signal) } });
    const { value, ms } = await timed(handler(signedEvent(blockActionsBody())));
    expect(value.statusCode).toBe(200);
    expect(ms).toBeLessThan(ANSWER_MS + 100);
    expect(calls.threads[0]!.reply.text).toMatch(/asked to disconnect this session .*: still in progress, EC2 had not confirmed after 0\.[45] s/);
    expect(logs[0]).toMatchObject({ audit: { ec2: { status: 'timedOut' } }, TerminationFailures: 1 });
  });

  it('still answers in time when an EC2 call ignores its abort signal', async () => {
    const { handler } = harness({ ec2: { terminate: () => new Promise(() => undefined) } });
    const { ms } = await timed(handler(signedEvent(blockActionsBody())));
    expect(ms).toBeLessThan(ANSWER_MS + 100);
  });

  it('tells the clicking user when the thread reply cannot be posted', async () => {
    const { handler, calls, audits } = harness({ thread: { status: 'failed', reason: 'not_in_channel' } });
    await handler(signedEvent(blockActionsBody()));
    expect(calls.terminated).toHaveLength(1);
    expect(calls.responses[0]!.message.text).toContain('disconnected this session');
    expect(calls.responses[0]!.message.text).toContain('could not be posted in the thread');
    expect(audits()[0]).toMatchObject({ reply: { via: 'response_url', outcome: { status: 'sent' }, fallbackFrom: { status: 'failed', reason: 'not_in_channel' } } });
  });

  it('tells the clicking user when the bot token cannot be read, without posting', async () => {
    const { handler, calls } = harness({ token: secret(undefined, 'TokenFormatError: the Slack token secret is JSON without a "token" string') });
    await handler(signedEvent(blockActionsBody()));
    expect(calls.threads).toEqual([]);
    expect(calls.responses).toHaveLength(1);
  });

  it('ignores interactions that are not the Disconnect button', async () => {
    const { handler, calls, logs } = harness();
    const result = await handler(signedEvent(blockActionsBody({ actionId: 'acknowledge' })));
    expect(result).toEqual({ statusCode: 200, body: '' });
    expect(calls).toEqual({ listed: [], terminated: [], threads: [], responses: [], sessionUpdates: [] });
    expect(logs).toEqual([expect.objectContaining({ level: 'INFO', message: 'slack interaction ignored: it has no disconnect action' })]);
  });
});

describe('slack-actions handler: /vpn', () => {
  const answer = (result: { body: string }) => JSON.parse(result.body) as { response_type: string; text: string; blocks?: Record<string, unknown>[] };

  it('lists every configured endpoint for anyone, newest first, without buttons for a member', async () => {
    const { handler, calls, audits } = harness();
    const result = await handler(signedEvent(slashCommandBody({ text: 'who', userId: MEMBER })));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    const message = answer(result);
    expect(message.response_type).toBe('ephemeral');
    expect(calls.listed.sort()).toEqual([ENDPOINT, OTHER_ENDPOINT].sort());
    const rows = JSON.stringify(message.blocks);
    expect(rows.indexOf('user2')).toBeLessThan(rows.indexOf('user1'));
    expect(rows).not.toContain('"action_id"');
    expect(audits()).toEqual([
      {
        action: 'who',
        user: { id: MEMBER, name: 'bob' },
        decision: 'allowed',
        ec2: [
          { endpointId: ENDPOINT, status: 'ok', active: 2 },
          { endpointId: OTHER_ENDPOINT, status: 'ok', active: 0 },
        ],
      },
    ]);
  });

  it('gives an admin a Disconnect button per session', async () => {
    const { handler } = harness();
    const message = answer(await handler(signedEvent(slashCommandBody({ text: '', userId: ADMIN }))));
    const buttons = (message.blocks ?? []).map((block) => block.accessory as { action_id: string; value: string } | undefined).filter(Boolean);
    expect(buttons.map((b) => [b!.action_id, JSON.parse(b!.value)])).toEqual([
      ['disconnect', { endpointId: ENDPOINT, connectionId: 'cvpn-connection-00000000000000a2' }],
      ['disconnect', { endpointId: ENDPOINT, connectionId: 'cvpn-connection-00000000000000a1' }],
    ]);
  });

  it('answers in time when EC2 hangs for one endpoint, with the others listed', async () => {
    const { handler } = harness({ ec2: { listActive: async (endpointId, signal) => (endpointId === ENDPOINT ? never(signal) : [alice(endpointId, 3, 1)]) } });
    const { value, ms } = await timed(handler(signedEvent(slashCommandBody())));
    expect(ms).toBeLessThan(ANSWER_MS + 100);
    const message = answer(value);
    expect(message.text).toBe('1 active VPN connection (1 of 2 endpoints could not be listed)');
    expect(JSON.stringify(message.blocks)).toContain(`\`${ENDPOINT}\`: EC2 did not answer in time`);
  });

  it.each(['help', 'disconnect alice', 'who else'])('answers %j with the usage', async (text) => {
    const { handler, calls } = harness();
    const message = answer(await handler(signedEvent(slashCommandBody({ text }))));
    expect(message).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('`/vpn who`') });
    expect(calls.listed).toEqual([]);
  });

  it('answers Slack\'s SSL check with an empty 200', async () => {
    const { handler, logs } = harness();
    expect(await handler(signedEvent('ssl_check=1&token=legacy'))).toEqual({ statusCode: 200, body: '' });
    expect(logs).toEqual([]);
  });
});
