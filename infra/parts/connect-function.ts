import { Duration, RemovalPolicy, type aws_dynamodb as dynamodb, aws_iam as iam, aws_lambda as lambda, aws_logs as logs, type aws_secretsmanager as secretsmanager, type aws_sns as sns, type aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { connectFunctionTimeoutSeconds } from '../../src/base/contract.ts';
import { bundledCode } from './bundled-code.ts';
import { deliveryRole } from './delivery-role.ts';

export interface ConnectFunctionProps {
  /** Full function name, FUNCTION_NAME_PREFIX included. */
  readonly functionName: string;
  /** The notification budget the function's environment carries; its timeout follows from it. */
  readonly budgetMs: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  /** Above 0: a `live` alias with this much provisioned concurrency is what Client VPN invokes. */
  readonly provisionedConcurrency: number;
  readonly topic: sns.ITopic;
  readonly slackTokenSecret: secretsmanager.ISecret;
  /** The parameters it reads with GetParameters (its templates and the routes document), exactly. */
  readonly parameterArns: readonly string[];
  /** The retry queue it may send to, when there is one. */
  readonly retryQueue?: sqs.IQueue;
  /** The session table, when threads are on: it only ever writes a connection's item. */
  readonly sessionTable?: dynamodb.ITable;
}

/**
 * The client connect handler: its log group, its role, the function, and the alias Client VPN
 * invokes when provisioned concurrency is on. Builds into `scope` (see ClientVpnNotifier).
 */
export class ConnectFunction {
  readonly function: lambda.Function;
  /** What Client VPN invokes: the function, or its `live` alias with provisioned concurrency. */
  readonly handlerArn: string;

  constructor(scope: Construct, props: ConnectFunctionProps) {
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = deliveryRole(scope, 'Role', {
      description: 'clientvpn-notifier connect handler: logs, publish to its topic, read its secret and templates, queue retries',
      logGroup,
      topic: props.topic,
      slackTokenSecret: props.slackTokenSecret,
    });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTemplates', actions: ['ssm:GetParameters'], resources: [...props.parameterArns] }));
    // The handler may only send to the queue.
    if (props.retryQueue) role.addToPolicy(new iam.PolicyStatement({ sid: 'QueueRetries', actions: ['sqs:SendMessage'], resources: [props.retryQueue.queueArn] }));
    if (props.sessionTable) role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteSessions', actions: ['dynamodb:PutItem'], resources: [props.sessionTable.tableArn] }));

    this.function = new lambda.Function(scope, 'Function', {
      functionName: props.functionName,
      description: 'AWS Client VPN client connect handler: notifies Slack and email, always allows',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('connect-handler'),
      memorySize: props.memorySize,
      // A backstop: the handler answers within its budget; Client VPN's 30 s includes init.
      timeout: Duration.seconds(connectFunctionTimeoutSeconds(props.budgetMs)),
      role,
      logGroup,
      environment: { ...props.environment },
    });

    this.handlerArn = this.function.functionArn;
    if (props.provisionedConcurrency > 0) {
      // Never reserved concurrency: a throttled invocation denies the VPN connection.
      const alias = new lambda.Alias(scope, 'Live', {
        aliasName: 'live',
        version: this.function.currentVersion,
        provisionedConcurrentExecutions: props.provisionedConcurrency,
      });
      this.handlerArn = alias.functionArn;
    }
  }
}
