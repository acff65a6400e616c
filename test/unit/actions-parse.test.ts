import { describe, expect, it } from 'vitest';
import { parseActionsConfig } from '../../src/actions/config.ts';
import { parseSlackRequest } from '../../src/actions/parse.ts';
import { ADMIN, CHANNEL, MESSAGE_TS, blockActionsBody, blockActionsPayload, slashCommandBody } from '../support/slack-requests.ts';

const parse = (body: string) => parseSlackRequest(Buffer.from(body, 'utf8'));

describe('parsing a verified Slack request', () => {
  it('reads a slash command', () => {
    expect(parse(slashCommandBody({ text: ' WHO ', userId: 'U0MEMBER02', userName: 'bob' }))).toEqual({
      kind: 'command',
      command: '/vpn',
      text: ' WHO ',
      user: { id: 'U0MEMBER02', name: 'bob' },
      responseUrl: 'https://hooks.slack.com/commands/T0TEAM0001/1111/abcd',
    });
  });

  it('reads a click on a channel message: the reply goes in its thread', () => {
    expect(parse(blockActionsBody())).toEqual({
      kind: 'block_actions',
      user: { id: ADMIN, name: 'alice.admin' },
      actions: [{ actionId: 'disconnect', value: expect.stringContaining('"endpointId"') }],
      responseUrl: 'https://hooks.slack.com/actions/T0TEAM0001/2222/efgh',
      channelId: CHANNEL,
      threadTs: MESSAGE_TS,
    });
  });

  it('replies in the parent thread when the button sat on a reply', () => {
    const payload = blockActionsPayload();
    const onReply = { ...payload, message: { ...payload.message, ts: '1700000099.000200', thread_ts: MESSAGE_TS } };
    const parsed = parse(new URLSearchParams({ payload: JSON.stringify(onReply) }).toString());
    expect(parsed).toMatchObject({ kind: 'block_actions', threadTs: MESSAGE_TS });
  });

  it('knows a click on an ephemeral message (a /vpn who list) has no thread', () => {
    expect(parse(blockActionsBody({ ephemeral: true }))).toMatchObject({ kind: 'block_actions', channelId: '', threadTs: '' });
  });

  it('answers the slash command SSL check', () => {
    expect(parse('ssl_check=1&token=legacy')).toEqual({ kind: 'ssl_check' });
  });

  it.each([
    ['', 'neither a slash command nor an interaction payload'],
    ['payload=%7Bnot%20json', 'a payload field that is not JSON'],
    ['payload=%5B%5D', 'interaction type ""'],
    [`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission' }))}`, 'interaction type "view_submission"'],
  ])('does not act on %j', (body, what) => {
    expect(parse(body)).toEqual({ kind: 'unsupported', what });
  });

  it('survives a payload of the wrong types without throwing', () => {
    const odd = { type: 'block_actions', user: 'U0ADMIN001', actions: [null, 5, { action_id: ['disconnect'], value: { endpointId: 1 } }], message: [] };
    const parsed = parse(new URLSearchParams({ payload: JSON.stringify(odd) }).toString());
    expect(parsed).toMatchObject({ kind: 'block_actions', user: { id: '', name: '' }, channelId: '', threadTs: '' });
    expect(parsed.kind === 'block_actions' && parsed.actions.every((action) => action.actionId === '' && action.value === '')).toBe(true);
  });
});

describe('slack-actions configuration', () => {
  it('reads the lists, trims, drops duplicates and keeps the shared settings', () => {
    const { config, warnings } = parseActionsConfig({
      SLACK_TOKEN_SECRET_ID: 'clientvpn-notifier/slack',
      CLIENT_VPN_ENDPOINT_IDS: ' cvpn-endpoint-0abc1234def567890, cvpn-endpoint-0fff0000aaaa11111 ,cvpn-endpoint-0abc1234def567890,',
      SLACK_ADMIN_USERS: 'U0ADMIN001,W0GRIDADMIN',
      TIME_ZONE: 'Asia/Tokyo',
      AWS_REGION: 'eu-west-1',
    });
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      slackTokenSecretId: 'clientvpn-notifier/slack',
      endpointIds: ['cvpn-endpoint-0abc1234def567890', 'cvpn-endpoint-0fff0000aaaa11111'],
      adminUsers: ['U0ADMIN001', 'W0GRIDADMIN'],
      slackApiUrl: 'https://slack.com/api/',
      timeZone: 'Asia/Tokyo',
      cacheTtlSeconds: 60,
      region: 'eu-west-1',
    });
    expect(Object.isFrozen(config) && Object.isFrozen(config.adminUsers) && Object.isFrozen(config.endpointIds)).toBe(true);
  });

  it('leaves out (and names) what is not an ID, so a typo can only make it do less', () => {
    const { config, warnings } = parseActionsConfig({
      SLACK_TOKEN_SECRET_ID: 's',
      CLIENT_VPN_ENDPOINT_IDS: 'vpn-prod,cvpn-endpoint-0abc',
      SLACK_ADMIN_USERS: '@alice,U0ADMIN001,*',
    });
    expect(config.endpointIds).toEqual(['cvpn-endpoint-0abc']);
    expect(config.adminUsers).toEqual(['U0ADMIN001']);
    expect(warnings).toEqual([
      'CLIENT_VPN_ENDPOINT_IDS: "vpn-prod" is not an ID like cvpn-endpoint-0123456789abcdef0; left out',
      'SLACK_ADMIN_USERS: "@alice" is not an ID like U0123ABCD; left out',
      'SLACK_ADMIN_USERS: "*" is not an ID like U0123ABCD; left out',
    ]);
  });

  it('acts on nothing and lets nobody disconnect by default, and says the secret is missing', () => {
    const { config, warnings } = parseActionsConfig({});
    expect(config.endpointIds).toEqual([]);
    expect(config.adminUsers).toEqual([]);
    expect(warnings).toEqual(['SLACK_TOKEN_SECRET_ID is not set: no request can be verified, every one is answered 503']);
  });

  it('refuses a plain-http Slack API URL off loopback, like the connect handler', () => {
    const { config, warnings } = parseActionsConfig({ SLACK_TOKEN_SECRET_ID: 's', SLACK_API_URL: 'http://slack.example.com/api/' });
    expect(config.slackApiUrl).toBeUndefined();
    expect(warnings[0]).toContain('SLACK_API_URL');
  });
});
