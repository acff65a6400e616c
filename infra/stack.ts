import { Stack, type StackProps, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { isValidTimeZone } from '../src/base/config.ts';
import type { NotifierSettings } from './config.ts';
import { ConfigurationError } from './errors.ts';
import { ClientVpnNotifier } from './notifier.ts';

export interface ClientVpnNotifierStackProps extends StackProps {
  readonly settings: NotifierSettings;
}

export class ClientVpnNotifierStack extends Stack {
  readonly notifier: ClientVpnNotifier;

  constructor(scope: Construct, id: string, props: ClientVpnNotifierStackProps) {
    super(scope, id, props);
    const { settings } = props;
    if (settings.timeZone && !isValidTimeZone(settings.timeZone)) throw new ConfigurationError(`timeZone ${JSON.stringify(settings.timeZone)} is not an IANA time zone`);

    const slackTokenSecret = settings.slackTokenSecret
      ? settings.slackTokenSecret.startsWith('arn:')
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'SlackTokenSecret', settings.slackTokenSecret)
        : secretsmanager.Secret.fromSecretNameV2(this, 'SlackTokenSecret', settings.slackTokenSecret)
      : undefined;

    this.notifier = new ClientVpnNotifier(this, 'Notifier', {
      functionNameSuffix: settings.functionNameSuffix,
      notificationEmails: settings.notificationEmails,
      alarmEmails: settings.alarmEmails,
      slackChannel: settings.slackChannel,
      slackTokenSecret,
      slackApiUrl: settings.slackApiUrl,
      templateParameterPath: settings.templateParameterPath,
      notifyBudgetMs: settings.notifyBudgetMs,
      cacheTtlSeconds: settings.cacheTtlSeconds,
      timeZone: settings.timeZone,
      clientVpnEndpointIds: settings.clientVpnEndpointIds,
      provisionedConcurrency: settings.provisionedConcurrency,
      retryQueue: settings.retryQueue,
      routes: settings.routes,
      connectionEvents: settings.connectionEvents,
      connectionLogGroup: settings.connectionLogGroup,
      threads: settings.threads,
      pointInTimeRecovery: settings.pointInTimeRecovery,
      slackAdminUsers: settings.slackAdminUsers,
    });
  }
}
