import { Duration, RemovalPolicy, Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_iam as iam, aws_kms as kms, type aws_lambda as lambda, aws_sns as sns, aws_sns_subscriptions as subscriptions, type aws_sqs as sqs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS } from '../../src/base/contract.ts';

export interface NotifierAlarmsProps {
  /** The client connect handler: its errors and throttles deny connections. */
  readonly connectFunction: lambda.IFunction;
  /** The notification budget; an invocation near it is a warning sign. */
  readonly budgetMs: number;
  /** The retry queues, when the retry pipeline is on. */
  readonly retry?: { readonly queue: sqs.IQueue; readonly deadLetterQueue: sqs.IQueue };
  /** connection-events and the queue of its batches that failed every attempt, when it is deployed. */
  readonly connectionEvents?: { readonly function: lambda.IFunction; readonly deadLetterQueue: sqs.IQueue };
  /** Addresses subscribed to the alarm topic. */
  readonly emails: readonly string[];
}

type AlarmSpec = { name: string; metric: cloudwatch.IMetric; threshold: number; description: string };

/**
 * The alarms and the encrypted topic they notify. Everything watched comes in through the
 * props, so it can be built at any point after those exist. Builds into `scope` (see ClientVpnNotifier).
 */
export class NotifierAlarms {
  readonly topic: sns.Topic;

  constructor(scope: Construct, props: NotifierAlarmsProps) {
    // CloudWatch can publish to an encrypted topic only with a customer managed key it may use.
    const key = new kms.Key(scope, 'AlarmKey', {
      description: 'clientvpn-notifier alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only on behalf of this account's alarms: no other account's alarm can use the key (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
      }),
    );
    this.topic = new sns.Topic(scope, 'AlarmTopic', { displayName: 'clientvpn-notifier alarms', masterKey: key, enforceSSL: true });
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const action = new actions.SnsAction(this.topic);
    for (const { name, metric, threshold, description } of alarmSpecs(props)) {
      const alarm = new cloudwatch.Alarm(scope, `${name}Alarm`, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `clientvpn-notifier: ${description}`,
      });
      alarm.addAlarmAction(action);
    }
  }
}

function alarmSpecs({ connectFunction, budgetMs, retry, connectionEvents }: NotifierAlarmsProps): AlarmSpec[] {
  const period = Duration.minutes(5);
  const ours = (metricName: string): cloudwatch.Metric =>
    new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName, dimensionsMap: { Service: METRIC_SERVICE }, period, statistic: 'Sum' });
  const specs: AlarmSpec[] = [
    { name: 'Errors', metric: connectFunction.metricErrors({ period, statistic: 'Sum' }), threshold: 1, description: 'the connect handler failed: Client VPN denied connections' },
    { name: 'Throttles', metric: connectFunction.metricThrottles({ period, statistic: 'Sum' }), threshold: 1, description: 'the connect handler was throttled: Client VPN denied connections' },
    {
      name: 'DurationNearBudget',
      metric: connectFunction.metricDuration({ period, statistic: 'Maximum' }),
      threshold: Math.round(budgetMs * 0.9),
      description: 'an invocation took 90 % of the notification budget',
    },
    { name: 'NotificationFailures', metric: ours(METRICS.failures), threshold: 1, description: 'a Slack or email notification failed or timed out (see the function log line)' },
  ];
  if (retry) {
    specs.push(
      {
        name: 'DeadLetters',
        metric: retry.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 1,
        description: 'notifications gave up retrying and sit in the dead-letter queue: redrive them (README)',
      },
      {
        name: 'RetryBacklogAge',
        metric: retry.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
        threshold: 900,
        description: 'a queued notification has waited over 15 minutes for delivery',
      },
      { name: 'NotificationsLost', metric: ours(METRICS.lost), threshold: 1, description: 'a notification could be neither delivered nor queued: its payload is in an ERROR log line' },
    );
  }
  if (connectionEvents) {
    specs.push(
      {
        name: 'HandlerDenials',
        metric: ours(METRICS.handlerDenials),
        threshold: 1,
        description: 'Client VPN denied a connection because the connect handler failed (timed out, throttled, errored): see the connect handler log',
      },
      {
        name: 'ConnectionEventsErrors',
        metric: connectionEvents.function.metricErrors({ period, statistic: 'Sum' }),
        threshold: 1,
        description: 'connection-events could neither deliver nor queue a disconnect or failed-attempt notification (Lambda retries the batch)',
      },
      {
        name: 'ConnectionEventsDeadLetters',
        metric: connectionEvents.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        threshold: 1,
        description: 'connection-log batches failed every attempt and wait in the connection-events dead-letter queue: replay them (README)',
      },
    );
  }
  return specs;
}
