import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../infra/app.ts';

function synthWithNag(settings: Record<string, unknown>, extra?: (app: App) => void) {
  const app = new App({ context: { 'clientvpn-notifier': settings } });
  buildApp(app);
  extra?.(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return () => app.synth();
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['defaults', {}],
    ['everything on', { slackChannel: 'C0123', slackTokenSecret: 'team/slack', notificationEmails: ['ops@example.com'], alarmEmails: ['oncall@example.com'], clientVpnEndpointIds: ['cvpn-endpoint-0abc123', 'cvpn-endpoint-0def456'], provisionedConcurrency: 2 }],
    ['an existing secret by ARN', { slackTokenSecret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:team/slack-AbCdEf' }],
    ['no retry queue', { retryQueue: false }],
    ['an existing connection-log group, point-in-time recovery and routes', { connectionLogGroup: '/aws/clientvpn/team', pointInTimeRecovery: true, clientVpnEndpointIds: ['cvpn-endpoint-0abc123'], routes: { routes: [] } }],
    ['slack actions', { slackChannel: 'C0123', clientVpnEndpointIds: ['cvpn-endpoint-0abc123'], slackAdminUsers: ['U0123ABCD'] }],
    ['connection events and threads off', { connectionEvents: false, threads: false, clientVpnEndpointIds: ['cvpn-endpoint-0abc123'] }],
  ])('has no unacknowledged findings with %s', (_name, settings) => {
    expect(synthWithNag(settings)).not.toThrow();
  });

  it('has no unacknowledged findings with everything on in a given account and region (as `cdk synth` runs it)', () => {
    vi.stubEnv('CDK_DEFAULT_ACCOUNT', '123456789012');
    vi.stubEnv('CDK_DEFAULT_REGION', 'eu-west-1');
    try {
      expect(synthWithNag({ slackChannel: 'C0123', clientVpnEndpointIds: ['cvpn-endpoint-0abc123'], provisionedConcurrency: 1 })).not.toThrow();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('does fail on a new finding (the check is live)', async () => {
    const { aws_sns: sns } = await import('aws-cdk-lib');
    const run = synthWithNag({}, (app) => {
      const stack = app.node.children.find((child) => child.node.id === 'ClientVpnNotifier');
      new sns.Topic(stack as never, 'Unencrypted');
    });
    expect(run).toThrow(/AwsSolutions-SNS/);
  });
});
