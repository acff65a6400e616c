import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  Annotations,
  ArnFormat,
  AssetHashType,
  CfnOutput,
  CustomResource,
  DockerImage,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
  aws_lambda_event_sources as eventSources,
  custom_resources as cr,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { bundle, ENTRIES, ROOT, type EntryName } from '../scripts/bundle.ts';
import { toStoredForm } from '../src/render/stored-form.ts';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../src/base/metrics.ts';
import { TEMPLATE_NAMES, type TemplateName } from '../src/sources/templates.ts';

import { BUDGET_MS, FUNCTION_NAME_PREFIX, PARAMETER_TIER_MAX_BYTES } from '../src/base/contract.ts';

export { FUNCTION_NAME_PREFIX };
const STANDARD_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Standard;
const ADVANCED_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Advanced;

export interface ClientVpnNotifierProps {
  /**
   * Name of the function after the `AWSClientVPN-` prefix Client VPN requires.
   * @default 'clientvpn-notifier'
   */
  readonly functionNameSuffix?: string;
  /**
   * Email addresses subscribed to the notification topic (each must confirm by email).
   * @default - no subscriptions; add them to the topic later
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Slack channel ID (`C…`) or name to post to.
   * @default - Slack off
   */
  readonly slackChannel?: string;
  /**
   * Secret holding the Slack bot token (raw `xoxb-…` or JSON `{"token":"xoxb-…"}`).
   * @default - a new secret with a placeholder value, to be replaced by the operator
   */
  readonly slackTokenSecret?: secretsmanager.ISecret;
  /**
   * Slack Web API base URL (GovSlack).
   * @default 'https://slack.com/api/'
   */
  readonly slackApiUrl?: string;
  /**
   * Parameter Store path of the templates.
   * @default '/clientvpn-notifier/templates'
   */
  readonly templateParameterPath?: string;
  /**
   * Templates to seed, as plain Handlebars, by name. Seeded only where no parameter exists.
   * @default - the files in templates/*.hbs
   */
  readonly templates?: Readonly<Partial<Record<TemplateName, string>>>;
  /**
   * Most milliseconds an invocation may take before it answers allow anyway.
   * @default 3000
   */
  readonly notifyBudgetMs?: number;
  /**
   * Seconds templates and token are reused before re-reading.
   * @default 60
   */
  readonly cacheTtlSeconds?: number;
  /**
   * IANA time zone for human-readable times.
   * @default 'UTC'
   */
  readonly timeZone?: string;
  /**
   * Client VPN endpoints to attach the function to as their client connect handler.
   * The previous setting is restored when the stack (or an endpoint) is removed.
   * @default - none; the stack outputs the CLI command that attaches it
   */
  readonly clientVpnEndpointIds?: readonly string[];
  /**
   * Provisioned concurrency for teams who want no cold start (costs money around the clock).
   * Never reserved concurrency: a throttled invocation denies the VPN connection.
   * @default 0 - none
   */
  readonly provisionedConcurrency?: number;
  /**
   * Memory of the function. More memory is more CPU, which shortens the cold start.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long the function's logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Email addresses subscribed to the alarm topic.
   * @default - none
   */
  readonly alarmEmails?: readonly string[];
  /**
   * Queue retryable failed deliveries and re-deliver them with a worker function
   * (at-least-once). Off: failures are only logged.
   * @default true
   */
  readonly retryQueue?: boolean;
  /**
   * How many times the worker receives a record before it goes to the dead-letter queue.
   * With the 3-minute visibility timeout, 20 is about an hour of retries.
   * @default 20
   */
  readonly maxReceiveCount?: number;
}

/**
 * The whole notifier: the client connect handler function, the email topic, the Slack token
 * secret, the seeded templates, the endpoint attachments and the alarms.
 */
export class ClientVpnNotifier extends Construct {
  readonly function: lambda.Function;
  /** What Client VPN invokes: the function, or its `live` alias with provisioned concurrency. */
  readonly handlerArn: string;
  readonly topic: sns.Topic;
  readonly alarmTopic: sns.Topic;
  readonly slackTokenSecret: secretsmanager.ISecret;
  readonly templateParameterPath: string;
  /** Retry queue, its dead-letter queue and the worker (when `retryQueue` is on). */
  readonly retry?: { readonly queue: sqs.Queue; readonly deadLetterQueue: sqs.Queue; readonly worker: lambda.Function };

  constructor(scope: Construct, id: string, props: ClientVpnNotifierProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const functionName = `${FUNCTION_NAME_PREFIX}${props.functionNameSuffix ?? 'clientvpn-notifier'}`;
    const budgetMs = props.notifyBudgetMs ?? 3000;
    if (!Number.isInteger(budgetMs) || budgetMs < BUDGET_MS.min || budgetMs > BUDGET_MS.max) {
      throw new Error(`notifyBudgetMs must be a whole number from ${BUDGET_MS.min} to ${BUDGET_MS.max}, got ${budgetMs}`);
    }
    const templatePath = (props.templateParameterPath ?? '/clientvpn-notifier/templates').replace(/\/+$/, '');
    if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(templatePath)) {
      throw new Error(`templateParameterPath must look like /team/templates, got ${JSON.stringify(props.templateParameterPath)}`);
    }
    this.templateParameterPath = templatePath;

    // Email notifications. The AWS managed key encrypts at rest and needs no key policy work.
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Client VPN connections',
      masterKey: kms.Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    for (const email of props.notificationEmails ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    this.slackTokenSecret =
      props.slackTokenSecret ??
      new secretsmanager.Secret(this, 'SlackToken', {
        description: 'Slack bot token for clientvpn-notifier: replace this placeholder with xoxb-… or {"token":"xoxb-…"}',
        // A random placeholder: the handler reports "does not hold a Slack token" until replaced.
        generateSecretString: { excludePunctuation: true, passwordLength: 32 },
        removalPolicy: RemovalPolicy.RETAIN,
      });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const role = this.channelRole('Role', 'clientvpn-notifier connect handler: logs, publish to its topic, read its secret and templates, queue retries', logGroup);
    const parameterArns = TEMPLATE_NAMES.map((name) =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${templatePath.slice(1)}/${name}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
    );
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadTemplates', actions: ['ssm:GetParameters'], resources: parameterArns }));

    let queues: { queue: sqs.Queue; deadLetterQueue: sqs.Queue } | undefined;
    if (props.retryQueue ?? true) {
      const deadLetterQueue = new sqs.Queue(this, 'RetryDeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, 'RetryQueue', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // At least 6 times the worker's timeout, as Lambda's SQS event source asks.
        visibilityTimeout: Duration.minutes(3),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 20 },
      });
      // The handler may only send to the queue.
      role.addToPolicy(new iam.PolicyStatement({ sid: 'QueueRetries', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      queues = { queue, deadLetterQueue };
    }

    const environment: Record<string, string> = {
      SNS_TOPIC_ARN: this.topic.topicArn,
      // The full ARN when known; otherwise the name, which GetSecretValue resolves exactly.
      SLACK_TOKEN_SECRET_ID: this.slackTokenSecret.secretFullArn ?? this.slackTokenSecret.secretName,
      TEMPLATE_PARAMETER_PATH: templatePath,
      NOTIFY_BUDGET_MS: String(budgetMs),
      CACHE_TTL_SECONDS: String(props.cacheTtlSeconds ?? 60),
      TIME_ZONE: props.timeZone ?? 'UTC',
    };
    if (props.slackChannel) environment.SLACK_CHANNEL = props.slackChannel;
    else Annotations.of(this).addWarningV2('clientvpn-notifier:no-slack-channel', 'No Slack channel configured: the Slack channel is off.');
    if (props.slackApiUrl) environment.SLACK_API_URL = props.slackApiUrl;
    if (queues) environment.RETRY_QUEUE_URL = queues.queue.queueUrl;

    this.function = new lambda.Function(this, 'Function', {
      functionName,
      description: 'AWS Client VPN client connect handler: notifies Slack and email, always allows',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('connect-handler'),
      memorySize: props.memorySize ?? 1024,
      // Client VPN waits at most 30 s; the handler answers within its budget, so this is a backstop.
      timeout: Duration.seconds(Math.min(30, Math.ceil(budgetMs / 1000) + 5)),
      role,
      logGroup,
      environment,
    });

    let handlerArn = this.function.functionArn;
    if (props.provisionedConcurrency && props.provisionedConcurrency > 0) {
      const alias = new lambda.Alias(this, 'Live', {
        aliasName: 'live',
        version: this.function.currentVersion,
        provisionedConcurrentExecutions: props.provisionedConcurrency,
      });
      handlerArn = alias.functionArn;
    }
    this.handlerArn = handlerArn;

    this.seedTemplates(props.templates ?? readDefaultTemplates(), parameterArns);
    this.attachToEndpoints(props.clientVpnEndpointIds ?? [], handlerArn);

    if (queues) this.retry = { ...queues, worker: this.createRetryWorker(queues.queue, environment, props.logRetention) };

    this.alarmTopic = this.createAlarms(budgetMs, props.alarmEmails ?? []);

    new CfnOutput(this, 'FunctionArn', { value: handlerArn, description: 'the client connect handler to give Client VPN' });
    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn, description: 'email notifications: subscribe addresses here' });
    new CfnOutput(this, 'SlackTokenSecretArn', { value: this.slackTokenSecret.secretArn, description: 'put the Slack bot token here' });
    if ((props.clientVpnEndpointIds ?? []).length === 0) {
      new CfnOutput(this, 'AttachCommand', {
        description: 'run this to make the function the client connect handler of an endpoint',
        value: `aws ec2 modify-client-vpn-endpoint --region ${stack.region} --client-vpn-endpoint-id <cvpn-endpoint-id> --client-connect-options Enabled=true,LambdaFunctionArn=${handlerArn}`,
      });
    }
  }

  /** A role that may write one log group, publish to the topic and read the Slack token: what delivering takes. */
  private channelRole(id: string, description: string, logGroup: logs.ILogGroup): iam.Role {
    // An explicit role instead of the managed basic execution role, which allows every log group.
    const role = new iam.Role(this, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    this.topic.grantPublish(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSlackToken',
        actions: ['secretsmanager:GetSecretValue'],
        // A secret imported by name has no full ARN; its real ARN ends in a 6-character suffix.
        resources: [this.slackTokenSecret.secretFullArn ?? `${this.slackTokenSecret.secretArn}-??????`],
      }),
    );
    if (this.slackTokenSecret.encryptionKey) this.slackTokenSecret.encryptionKey.grantDecrypt(role);
    return role;
  }

  /**
   * The SQS-triggered worker that re-delivers queued notifications through the same channel
   * code, a few at a time: Slack takes about one message per second per channel.
   */
  private createRetryWorker(queue: sqs.Queue, environment: Record<string, string>, retention: logs.RetentionDays | undefined): lambda.Function {
    const logGroup = new logs.LogGroup(this, 'RetryWorkerLogs', { retention: retention ?? logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.RETAIN });
    const role = this.channelRole('RetryWorkerRole', 'clientvpn-notifier retry worker: logs, publish to its topic, read its secret, consume its queue', logGroup);
    const worker = new lambda.Function(this, 'RetryWorker', {
      description: 'clientvpn-notifier: re-delivers notifications that failed inside the connect handler budget',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: bundledCode('retry-worker'),
      memorySize: 512,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      environment,
    });
    worker.addEventSource(
      new eventSources.SqsEventSource(queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Two is SQS's minimum: a burst is worked off slowly rather than hammering Slack.
        maxConcurrency: 2,
      }),
    );
    return worker;
  }

  /**
   * Seeds each template only when its parameter does not exist: a redeploy never overwrites
   * what an operator edited. PutParameter without Overwrite fails on an existing parameter,
   * and that failure is the "leave it alone" path.
   */
  private seedTemplates(templates: Readonly<Partial<Record<TemplateName, string>>>, parameterArns: string[]): void {
    TEMPLATE_NAMES.forEach((name, index) => {
      const source = templates[name];
      if (source === undefined) return;
      const stored = toStoredForm(source);
      const bytes = Buffer.byteLength(stored, 'utf8');
      if (bytes > ADVANCED_TIER_MAX_BYTES) throw new Error(`template ${name} is ${bytes} bytes in stored form; Parameter Store holds at most 8 KB`);
      const call: cr.AwsSdkCall = {
        service: 'SSM',
        action: 'putParameter',
        parameters: {
          Name: `${this.templateParameterPath}/${name}`,
          Value: stored,
          Type: 'String',
          Tier: bytes > STANDARD_TIER_MAX_BYTES ? 'Advanced' : 'Standard',
          Overwrite: false,
          Description: `clientvpn-notifier ${name} template (stored form: {% %} for {{ }}). Seeded once; edits are kept.`,
        },
        physicalResourceId: cr.PhysicalResourceId.of(`${this.templateParameterPath}/${name}`),
        ignoreErrorCodesMatching: 'ParameterAlreadyExists',
      };
      new cr.AwsCustomResource(this, `Seed-${name}`, {
        resourceType: 'Custom::SeedTemplate',
        onCreate: call,
        // A changed default re-seeds only a parameter that was deleted (the reset path).
        onUpdate: call,
        // Operators' templates outlive the stack; delete them by hand if you want them gone.
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({ actions: ['ssm:PutParameter'], resources: [parameterArns[index] as string] }),
        ]),
        installLatestAwsSdk: false,
      });
    });
  }

  private attachToEndpoints(endpointIds: readonly string[], handlerArn: string): void {
    if (endpointIds.length === 0) return;
    for (const endpointId of endpointIds) {
      if (!/^cvpn-endpoint-[0-9a-f]+$/.test(endpointId)) throw new Error(`not a Client VPN endpoint id: ${JSON.stringify(endpointId)}`);
    }
    const stack = Stack.of(this);
    const onEvent = new lambda.Function(this, 'AttachHandler', {
      description: 'clientvpn-notifier: sets and restores Client VPN client connect handlers',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'attach-endpoint.handler',
      code: lambda.Code.fromAsset(path.join(ROOT, 'infra/handlers')),
      timeout: Duration.seconds(60),
      logGroup: new logs.LogGroup(this, 'AttachHandlerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    onEvent.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ec2:ModifyClientVpnEndpoint'],
        resources: endpointIds.map((id) => stack.formatArn({ service: 'ec2', resource: 'client-vpn-endpoint', resourceName: id })),
      }),
    );
    // Describe* actions support no resource-level permissions.
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeClientVpnEndpoints'], resources: ['*'] }));
    // Read-only access to the one function it names, as a precaution should Client VPN check the
    // caller's view of the handler when it is set; it grants nothing that can change or invoke it.
    onEvent.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:GetFunction'], resources: [...new Set([this.function.functionArn, handlerArn])] }));
    const provider = new cr.Provider(this, 'AttachProvider', { onEventHandler: onEvent });
    for (const endpointId of endpointIds) {
      new CustomResource(this, `Attach-${endpointId}`, {
        serviceToken: provider.serviceToken,
        resourceType: 'Custom::ClientVpnConnectHandler',
        properties: { EndpointId: endpointId, FunctionArn: handlerArn },
      });
    }
  }

  private createAlarms(budgetMs: number, alarmEmails: readonly string[]): sns.Topic {
    // CloudWatch can publish to an encrypted topic only with a customer managed key it may use.
    const key = new kms.Key(this, 'AlarmKey', {
      description: 'clientvpn-notifier alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'clientvpn-notifier alarms', masterKey: key, enforceSSL: true });
    for (const email of alarmEmails) topic.addSubscription(new subscriptions.EmailSubscription(email));
    const action = new actions.SnsAction(topic);
    const period = Duration.minutes(5);

    const alarms: [string, cloudwatch.IMetric, number, string][] = [
      ['Errors', this.function.metricErrors({ period, statistic: 'Sum' }), 1, 'the connect handler failed: Client VPN denied connections'],
      ['Throttles', this.function.metricThrottles({ period, statistic: 'Sum' }), 1, 'the connect handler was throttled: Client VPN denied connections'],
      ['DurationNearBudget', this.function.metricDuration({ period, statistic: 'Maximum' }), Math.round(budgetMs * 0.9), 'an invocation took 90 % of the notification budget'],
      [
        'NotificationFailures',
        new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: 'NotificationFailures', dimensionsMap: { Service: METRIC_SERVICE }, period, statistic: 'Sum' }),
        1,
        'a Slack or email notification failed or timed out (see the function log line)',
      ],
    ];
    if (this.retry) {
      alarms.push(
        ['DeadLetters', this.retry.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), 1, 'notifications gave up retrying and sit in the dead-letter queue: redrive them (README)'],
        ['RetryBacklogAge', this.retry.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }), 900, 'a queued notification has waited over 15 minutes for delivery'],
        ['NotificationsLost', new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: 'NotificationsLost', dimensionsMap: { Service: METRIC_SERVICE }, period, statistic: 'Sum' }), 1, 'a notification could be neither delivered nor queued: its payload is in an ERROR log line'],
      );
    }
    for (const [name, metric, threshold, description] of alarms) {
      const alarm = new cloudwatch.Alarm(this, `${name}Alarm`, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `clientvpn-notifier: ${description}`,
      });
      alarm.addAlarmAction(action);
    }
    return topic;
  }
}

/** The same bundle as `npm run build`: same entry, same options, bundled locally without Docker. */
function bundledCode(entry: EntryName): lambda.Code {
  // CDK caches bundling by source path and serializable options: each entry gets its own
  // directory as the path, or both functions would share the first bundle.
  return lambda.Code.fromAsset(path.join(ROOT, path.dirname(ENTRIES[entry])), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir: string): boolean {
          bundle(entry, outputDir);
          return true;
        },
      },
    },
  });
}

export function readDefaultTemplates(): Record<TemplateName, string> {
  const read = (name: TemplateName): string => readFileSync(path.join(ROOT, 'templates', `${name}.hbs`), 'utf8');
  return { slack: read('slack'), 'email-subject': read('email-subject'), 'email-body': read('email-body') };
}
