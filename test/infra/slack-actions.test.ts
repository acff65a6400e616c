import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../../infra/config.ts';
import { ClientVpnNotifier } from '../../infra/notifier.ts';
import { SLACK_ACTIONS_RESERVED_CONCURRENCY } from '../../src/base/contract.ts';
import { functionByDescription, notifierFunction, statementsOf, synth, type FunctionResource } from './app.ts';

const ENDPOINTS = ['cvpn-endpoint-0abc123', 'cvpn-endpoint-0def456'];
const ADMINS = ['U0123ABCD', 'W0456EFGH'];
const { template, app } = synth({ slackChannel: 'C0123', slackTokenSecret: 'team/slack', slackApiUrl: 'https://slack-gov.com/api/', timeZone: 'Asia/Tokyo', clientVpnEndpointIds: ENDPOINTS, slackAdminUsers: ADMINS });
const none = synth({ slackChannel: 'C0123', clientVpnEndpointIds: ENDPOINTS }).template;

const actionsFunction = (t: Template) => functionByDescription(t, /slack-actions/);
const env = (fn: FunctionResource | undefined) => fn?.Properties.Environment?.Variables ?? {};

describe('slack-actions', () => {
  it('is deployed when slackAdminUsers lists anyone: Node.js 24 arm64, the slack-actions bundle, reserved concurrency', () => {
    const fn = actionsFunction(template);
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler', ReservedConcurrentExecutions: SLACK_ACTIONS_RESERVED_CONCURRENCY });
    expect(SLACK_ACTIONS_RESERVED_CONCURRENCY).toBe(5);
    expect(Number(fn?.Properties.Timeout)).toBeLessThanOrEqual(10);
    expect(actionsFunction(none)).toBeUndefined();
    none.resourceCountIs('AWS::Lambda::Url', 0);
  });

  it('runs the slack-actions bundle', () => {
    const assembly = app.synth();
    const resources = assembly.getStackByName('ClientVpnNotifier').template.Resources as Record<string, { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }>;
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && /slack-actions/.test(r.Properties.Description ?? ''));
    const code = readFileSync(join(assembly.directory, `asset.${String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    expect(code).toContain('slack-actions init failed');
    expect(code).not.toContain('client connect allowed');
  });

  it('sits behind a function URL without IAM auth (Slack cannot sign AWS requests), output as SlackActionsUrl', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
    const urls = template.findResources('AWS::Lambda::Url') as Record<string, { Properties: { TargetFunctionArn: { 'Fn::GetAtt': string[] } } }>;
    const [urlId, url] = Object.entries(urls)[0]!;
    expect(url.Properties.TargetFunctionArn['Fn::GetAtt'][0]).toMatch(/^NotifierSlackActions/);
    const output = Object.entries(template.findOutputs('*')).find(([key]) => key.startsWith('NotifierSlackActionsUrl'))?.[1] as { Value: unknown };
    expect(output.Value).toEqual({ 'Fn::GetAtt': [urlId, 'FunctionUrl'] });
    expect(Object.keys(none.findOutputs('*')).some((key) => key.startsWith('NotifierSlackActionsUrl'))).toBe(false);
  });

  it('anyone may invoke it only through the URL', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')) as { Properties: Record<string, unknown> & { FunctionName: { 'Fn::GetAtt': string[] } } }[];
    const onActions = permissions.filter((p) => /^NotifierSlackActions/.test(p.Properties.FunctionName['Fn::GetAtt'][0]!)).map((p) => p.Properties);
    expect(onActions).toHaveLength(2);
    for (const permission of onActions) expect(permission.Principal).toBe('*');
    expect(onActions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' }),
        expect.objectContaining({ Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true }),
      ]),
    );
  });

  it('has the environment section 15 and its entry read, nothing else', () => {
    const variables = env(actionsFunction(template));
    expect(Object.keys(variables).sort()).toEqual(['CACHE_TTL_SECONDS', 'CLIENT_VPN_ENDPOINT_IDS', 'SLACK_ADMIN_USERS', 'SLACK_API_URL', 'SLACK_TOKEN_SECRET_ID', 'TIME_ZONE']);
    expect(variables).toMatchObject({
      CLIENT_VPN_ENDPOINT_IDS: ENDPOINTS.join(','),
      SLACK_ADMIN_USERS: ADMINS.join(','),
      SLACK_TOKEN_SECRET_ID: 'team/slack',
      SLACK_API_URL: 'https://slack-gov.com/api/',
      TIME_ZONE: 'Asia/Tokyo',
    });
  });

  it('may list and terminate connections of the configured endpoints and read the one secret: nothing else', () => {
    const statements = statementsOf(template, actionsFunction(template)!);
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual(['ec2:DescribeClientVpnConnections', 'ec2:TerminateClientVpnConnections', 'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue']);
    const ec2 = statements.find((s) => JSON.stringify(s.Action).includes('ec2:'))!;
    const arns = JSON.stringify(ec2.Resource);
    for (const id of ENDPOINTS) expect(arns).toContain(`:client-vpn-endpoint/${id}"`);
    expect([ec2.Resource].flat()).toHaveLength(ENDPOINTS.length);
    expect(arns).not.toContain('*');
    const secret = statements.find((s) => s.Action === 'secretsmanager:GetSecretValue')!;
    expect(JSON.stringify(secret.Resource)).toContain(':secret:team/slack-??????');
    expect(JSON.stringify(statementsOf(template, actionsFunction(template)!))).toMatch(/NotifierSlackActionsLogs/);
  });

  it('turns the Disconnect button on in the connect handler and connection-events (SLACK_ACTIONS=on), and only then', () => {
    expect(env(notifierFunction(template)[1]).SLACK_ACTIONS).toBe('on');
    expect(env(functionByDescription(template, /connection-events/)).SLACK_ACTIONS).toBe('on');
    expect(env(functionByDescription(template, /re-delivers/))).not.toHaveProperty('SLACK_ACTIONS');
    expect(env(notifierFunction(none)[1])).not.toHaveProperty('SLACK_ACTIONS');
    expect(env(functionByDescription(none, /connection-events/))).not.toHaveProperty('SLACK_ACTIONS');
  });
});

describe('the slackAdminUsers setting', () => {
  it('takes U… and W… user IDs', () => {
    expect(parseSettings({ slackAdminUsers: ADMINS, clientVpnEndpointIds: ENDPOINTS }).slackAdminUsers).toEqual(ADMINS);
    expect(parseSettings({}).slackAdminUsers).toEqual([]);
  });

  it.each([
    ['a name instead of an ID', { slackAdminUsers: ['alice'], clientVpnEndpointIds: ENDPOINTS }, /^setting "slackAdminUsers": "alice" is not a Slack user ID/],
    ['a channel ID', { slackAdminUsers: ['C0123ABCD'], clientVpnEndpointIds: ENDPOINTS }, /^setting "slackAdminUsers": "C0123ABCD" is not a Slack user ID/],
    ['a mention', { slackAdminUsers: ['<@U0123ABCD>'], clientVpnEndpointIds: ENDPOINTS }, /^setting "slackAdminUsers": .* is not a Slack user ID/],
    ['a string instead of a list', { slackAdminUsers: 'U0123ABCD', clientVpnEndpointIds: ENDPOINTS }, /^setting "slackAdminUsers" must be a list of strings/],
    ['admins without endpoints', { slackAdminUsers: ADMINS }, /^setting "slackAdminUsers" needs "clientVpnEndpointIds"/],
  ])('refuses %s, naming the setting', (_what, input, message) => {
    expect(() => parseSettings(input)).toThrow(SettingsError);
    expect(() => parseSettings(input)).toThrow(message);
  });

  it('the construct refuses the same', () => {
    const build = (props: ConstructorParameters<typeof ClientVpnNotifier>[2]) => () => new ClientVpnNotifier(new Stack(new App(), 'A'), 'N', props);
    expect(build({ slackAdminUsers: ['alice'], clientVpnEndpointIds: ENDPOINTS })).toThrow(/^slackAdminUsers: "alice" is not a Slack user ID/);
    expect(build({ slackAdminUsers: ADMINS })).toThrow(/^slackAdminUsers needs clientVpnEndpointIds/);
  });
});
