import { Duration, RemovalPolicy, Stack, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, type aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LAMBDA_MARGIN_MS, SLACK_ACTIONS_ANSWER_MS, SLACK_ACTIONS_RESERVED_CONCURRENCY } from '../../src/base/contract.ts';
import { bundledCode } from './bundled-code.ts';
import { grantReadSlackSecret } from './delivery-role.ts';

export interface SlackActionsProps {
  /** Slack user IDs allowed to disconnect (SLACK_ADMIN_USERS); at least one. */
  readonly adminUsers: readonly string[];
  /** Endpoints it may list and act on (CLIENT_VPN_ENDPOINT_IDS); at least one. */
  readonly endpointIds: readonly string[];
  /** The secret with the bot token and the signing secret. */
  readonly slackTokenSecret: secretsmanager.ISecret;
  /** The settings it shares with the notifying functions: SLACK_TOKEN_SECRET_ID, SLACK_API_URL, TIME_ZONE, CACHE_TTL_SECONDS. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
}

/**
 * slack-actions (contract section 15): the Disconnect button and `/vpn who`, behind a Lambda
 * function URL. The product's only internet-facing entry point. Builds into `scope` (see ClientVpnNotifier).
 */
export class SlackActions {
  readonly function: lambda.Function;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, props: SlackActionsProps) {
    const stack = Stack.of(scope);
    const logGroup = new logs.LogGroup(scope, 'SlackActionsLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(scope, 'SlackActionsRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'clientvpn-notifier slack-actions: logs, read its secret, list and terminate connections of its endpoints',
    });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    grantReadSlackSecret(role, props.slackTokenSecret);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListAndDisconnect',
        actions: ['ec2:DescribeClientVpnConnections', 'ec2:TerminateClientVpnConnections'],
        resources: props.endpointIds.map((id) => stack.formatArn({ service: 'ec2', resource: 'client-vpn-endpoint', resourceName: id })),
      }),
    );

    this.function = new lambda.Function(scope, 'SlackActions', {
      description: 'clientvpn-notifier slack-actions: the Disconnect button and /vpn who, every request verified with the Slack signing secret',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('slack-actions'),
      // Slack's 3 s include the cold start: more memory is more CPU for init.
      memorySize: 1024,
      // It answers by SLACK_ACTIONS_ANSWER_MS; the margin and room for init make the backstop.
      timeout: Duration.seconds(Math.ceil((SLACK_ACTIONS_ANSWER_MS + LAMBDA_MARGIN_MS) / 1000) + 2),
      // Allowed here, unlike on the connect path: it bounds what a flood of unsigned requests can use.
      reservedConcurrentExecutions: SLACK_ACTIONS_RESERVED_CONCURRENCY,
      role,
      logGroup,
      environment: {
        ...props.environment,
        CLIENT_VPN_ENDPOINT_IDS: props.endpointIds.join(','),
        SLACK_ADMIN_USERS: props.adminUsers.join(','),
      },
    });
    // Slack cannot sign AWS requests: the URL is open and every request is verified in code
    // (x-slack-signature over the raw body with the signing secret, 300 s window) before anything happens.
    this.url = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
  }
}
