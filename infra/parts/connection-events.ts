import {
  Duration,
  RemovalPolicy,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_logs_destinations as destinations,
  type aws_secretsmanager as secretsmanager,
  type aws_sns as sns,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CONNECTION_EVENTS_TIMEOUT_SECONDS } from '../../src/base/contract.ts';
import { bundledCode } from './bundled-code.ts';
import { deliveryRole } from './delivery-role.ts';

export interface ConnectionEventsProps {
  /** The connect handler's environment (section 11: the same variables), SESSION_TABLE_NAME and RETRY_QUEUE_URL included when on. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly topic: sns.ITopic;
  readonly slackTokenSecret: secretsmanager.ISecret;
  /** The parameters it reads with GetParameters (its templates and the routes document), exactly. */
  readonly parameterArns: readonly string[];
  readonly retryQueue?: sqs.IQueue;
  /** The session table, when threads are on: it claims and reads items, never writes new ones. */
  readonly sessionTable?: dynamodb.ITable;
  /** An existing connection-log group to subscribe to; unset: the stack creates one. */
  readonly existingLogGroupName?: string;
  /** Retention of a connection-log group the stack creates: the VPN's audit trail. */
  readonly connectionLogRetention: logs.RetentionDays;
}

/**
 * connection-events (contract section 11): the connection-log group (created or existing), the
 * function, its subscription to the group, and the queue where batches that failed every
 * attempt end up. Builds into `scope` (see ClientVpnNotifier).
 */
export class ConnectionEvents {
  readonly function: lambda.Function;
  readonly connectionLogGroup: logs.ILogGroup;
  /** Batches that failed on every attempt (CloudWatch Logs invokes asynchronously: Lambda retries twice, then parks them here). */
  readonly deadLetterQueue: sqs.Queue;
  readonly subscription: logs.SubscriptionFilter;

  constructor(scope: Construct, props: ConnectionEventsProps) {
    this.connectionLogGroup = props.existingLogGroupName
      ? logs.LogGroup.fromLogGroupName(scope, 'ConnectionLog', props.existingLogGroupName)
      : new logs.LogGroup(scope, 'ConnectionLog', { retention: props.connectionLogRetention, removalPolicy: RemovalPolicy.RETAIN });

    const logGroup = new logs.LogGroup(scope, 'ConnectionEventsLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = deliveryRole(scope, 'ConnectionEventsRole', {
      description: 'clientvpn-notifier connection-events: logs, publish to its topic, read its secret and templates, claim sessions, queue retries',
      logGroup,
      topic: props.topic,
      slackTokenSecret: props.slackTokenSecret,
    });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTemplates', actions: ['ssm:GetParameters'], resources: [...props.parameterArns] }));
    if (props.retryQueue) role.addToPolicy(new iam.PolicyStatement({ sid: 'QueueRetries', actions: ['sqs:SendMessage'], resources: [props.retryQueue.queueArn] }));
    if (props.sessionTable) {
      role.addToPolicy(new iam.PolicyStatement({ sid: 'ClaimSessions', actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [props.sessionTable.tableArn] }));
    }

    this.deadLetterQueue = new sqs.Queue(scope, 'ConnectionEventsDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.function = new lambda.Function(scope, 'ConnectionEvents', {
      description: 'clientvpn-notifier connection-events: notifies disconnects and failed attempts from the Client VPN connection log',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('connection-events'),
      memorySize: 512,
      timeout: Duration.seconds(CONNECTION_EVENTS_TIMEOUT_SECONDS),
      role,
      logGroup,
      environment: { ...props.environment },
      // It throws only when a notification could be neither delivered nor queued; Lambda then
      // invokes it again twice, and a batch that fails every time waits here (alarmed) for a replay.
      retryAttempts: 2,
      deadLetterQueue: this.deadLetterQueue,
    });

    // A log group takes at most two subscription filters: an existing group that already has
    // two makes this deploy fail (LimitExceededException). Remove one, or subscribe another way.
    // Every entry goes to the function, which classifies them itself: a filter pattern that got a
    // field wrong would drop notifications silently.
    this.subscription = new logs.SubscriptionFilter(scope, 'ConnectionLogSubscription', {
      logGroup: this.connectionLogGroup,
      destination: new destinations.LambdaDestination(this.function),
      filterPattern: logs.FilterPattern.allEvents(),
    });
  }
}
