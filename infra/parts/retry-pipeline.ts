import { Duration, RemovalPolicy, type aws_dynamodb as dynamodb, aws_iam as iam, aws_lambda as lambda, aws_lambda_event_sources as eventSources, aws_logs as logs, type aws_secretsmanager as secretsmanager, type aws_sns as sns, aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RETRY_WORKER_TIMEOUT_SECONDS, retryWorkerBatchSize } from '../../src/base/contract.ts';
import { bundledCode } from './bundled-code.ts';
import { deliveryRole } from './delivery-role.ts';

export interface RetryPipelineProps {
  /** The connect handler's environment: the worker delivers with the same configuration. */
  readonly environment: Readonly<Record<string, string>>;
  /** The notification budget: each re-delivery gets that long, so it sets how many records a batch may hold. */
  readonly budgetMs: number;
  /** The routes parameter: it tells the worker which Slack channels a queued message may go to. */
  readonly routesParameterArn: string;
  readonly topic: sns.ITopic;
  readonly slackTokenSecret: secretsmanager.ISecret;
  /** Receives of a record before it goes to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly logRetention: logs.RetentionDays;
  /**
   * The session table, read only: a queued thread reply or parent update names the channel ID
   * Slack answered, and the worker checks it against the connection's recorded posts.
   * @default none (such a message is then sent only where the configuration names the channel by ID)
   */
  readonly sessionTable?: dynamodb.ITable;
}

/**
 * Where deliveries that failed retryably inside the budget go: the queue, its dead-letter
 * queue, and the SQS-triggered worker that re-delivers through the same channel code.
 * Builds into `scope` (see ClientVpnNotifier).
 */
export class RetryPipeline {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly worker: lambda.Function;

  constructor(scope: Construct, props: RetryPipelineProps) {
    this.deadLetterQueue = new sqs.Queue(scope, 'RetryDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(scope, 'RetryQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // At least 6 times the worker's timeout, as Lambda's SQS event source asks.
      visibilityTimeout: Duration.seconds(6 * RETRY_WORKER_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });

    const logGroup = new logs.LogGroup(scope, 'RetryWorkerLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const role = deliveryRole(scope, 'RetryWorkerRole', {
      description: 'clientvpn-notifier retry worker: logs, publish to its topic, read its secret and session items, consume its queue',
      logGroup,
      topic: props.topic,
      slackTokenSecret: props.slackTokenSecret,
    });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadRoutes', actions: ['ssm:GetParameter'], resources: [props.routesParameterArn] }));
    if (props.sessionTable) role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadSessions', actions: ['dynamodb:GetItem'], resources: [props.sessionTable.tableArn] }));
    this.worker = new lambda.Function(scope, 'RetryWorker', {
      description: 'clientvpn-notifier: re-delivers notifications that failed inside the connect handler budget',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('retry-worker'),
      memorySize: 512,
      timeout: Duration.seconds(RETRY_WORKER_TIMEOUT_SECONDS),
      role,
      logGroup,
      environment: { ...props.environment, RETRY_QUEUE_URL: this.queue.queueUrl, ...(props.sessionTable ? { SESSION_TABLE_NAME: props.sessionTable.tableName } : {}) },
    });
    this.worker.addEventSource(
      new eventSources.SqsEventSource(this.queue, {
        // Every record of a batch gets a full budget, one at a time, inside the worker's timeout.
        batchSize: retryWorkerBatchSize(props.budgetMs),
        reportBatchItemFailures: true,
        // Two is SQS's minimum: a burst is worked off slowly rather than hammering Slack (about one message per second per channel).
        maxConcurrency: 2,
      }),
    );
  }
}
