import { Annotations, CfnOutput, RemovalPolicy, Stack, type aws_dynamodb as dynamodb, aws_kms as kms, type aws_lambda as lambda, aws_logs as logs, aws_secretsmanager as secretsmanager, aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  ALL_TEMPLATE_KEYS,
  BUDGET_MS,
  CLIENT_VPN_ENDPOINT_ID_PATTERN,
  DEFAULT_FUNCTION_NAME_SUFFIX,
  DEFAULTS,
  FUNCTION_NAME_PREFIX,
  LOG_GROUP_NAME_PATTERN,
  PARAMETER_PATH_PATTERN,
  SLACK_USER_ID_PATTERN,
  CONNECT_TEMPLATE_KEYS,
  EVENTS_TEMPLATE_KEYS,
} from '../src/base/contract.ts';
import { slackApiUrlProblem } from '../src/base/config.ts';
import { ConfigurationError } from './errors.ts';
import { NotifierAlarms } from './parts/alarms.ts';
import { ConnectFunction } from './parts/connect-function.ts';
import { ConnectionEvents } from './parts/connection-events.ts';
import { EndpointAttachment } from './parts/endpoint-attachment.ts';
import { parameterArn } from './parts/parameters.ts';
import { RetryPipeline } from './parts/retry-pipeline.ts';
import { sessionTable } from './parts/session-table.ts';
import { SlackActions } from './parts/slack-actions.ts';
import { defaultSeedTemplates, seedParameter, TemplateSeed, type SeedTemplates } from './parts/template-seed.ts';
import { routesDocumentProblems } from './routes.ts';

export interface ClientVpnNotifierProps {
  /**
   * Name of the function after the FUNCTION_NAME_PREFIX Client VPN requires.
   * @default DEFAULT_FUNCTION_NAME_SUFFIX ('clientvpn-notifier')
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
   * Slack Web API base URL (GovSlack): `https:`, or `http:` to a loopback address (tests).
   * @default - unset in the environment, so the function uses DEFAULTS.slackApiUrl ('https://slack.com/api/')
   */
  readonly slackApiUrl?: string;
  /**
   * Parameter Store path of the templates.
   * @default DEFAULTS.templateParameterPath ('/clientvpn-notifier/templates')
   */
  readonly templateParameterPath?: string;
  /**
   * Templates to seed, as plain Handlebars, by name (`slack`, `disconnect/email-body`, …).
   * Seeded only where no parameter exists.
   * @default - every bundled default (templates/*.hbs)
   */
  readonly templates?: SeedTemplates;
  /**
   * Name of the String parameter holding the routes document (contract section 13).
   * @default DEFAULTS.routesParameter ('/clientvpn-notifier/routes')
   */
  readonly routesParameter?: string;
  /**
   * A routes document (JSON text) to seed into the routes parameter when it does not exist yet;
   * later edits (`routes push`) are kept. Checked with the functions' own parser.
   * @default - nothing seeded: the functions use the built-in document until one is pushed
   */
  readonly routes?: string;
  /**
   * Most milliseconds an invocation may take before it answers allow anyway (BUDGET_MS.min to BUDGET_MS.max).
   * @default DEFAULTS.notifyBudgetMs (3000)
   */
  readonly notifyBudgetMs?: number;
  /**
   * Seconds templates and token are reused before re-reading.
   * @default DEFAULTS.cacheTtlSeconds (60)
   */
  readonly cacheTtlSeconds?: number;
  /**
   * IANA time zone for human-readable times.
   * @default DEFAULTS.timeZone ('UTC')
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
   * How long the functions' logs are kept.
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
   * Deploy connection-events (contract section 11): a subscription on the connection-log group
   * notifies disconnects and failed attempts, and the endpoint attachment switches connection
   * logging on for `clientVpnEndpointIds`.
   * @default true
   */
  readonly connectionEvents?: boolean;
  /**
   * Name of an existing connection-log group to subscribe to (it must have a free subscription
   * filter slot: a log group takes two).
   * @default - the stack creates one, kept `connectionLogRetention`
   */
  readonly connectionLogGroup?: string;
  /**
   * How long a connection-log group the stack creates keeps the log (the VPN's audit trail).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly connectionLogRetention?: logs.RetentionDays;
  /**
   * The session table (contract section 12): disconnects reply in the connect message's thread
   * and update it to a status line.
   * @default true
   */
  readonly threads?: boolean;
  /**
   * Point-in-time recovery for the session table (billed per GB-month).
   * @default false - its items are a week of thread pointers; losing them makes disconnects post at top level
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Slack user IDs (`U…`, `W…`) allowed to disconnect sessions from Slack (contract section 15).
   * Non-empty deploys slack-actions behind a function URL (output `SlackActionsUrl`) acting on
   * `clientVpnEndpointIds`, and makes the messages carry the Disconnect button (SLACK_ACTIONS=on).
   * @default - none: no slack-actions function
   */
  readonly slackAdminUsers?: readonly string[];
  /**
   * How many times the worker receives a record before it goes to the dead-letter queue.
   * With the 3-minute visibility timeout, 20 is about an hour of retries.
   * @default 20
   */
  readonly maxReceiveCount?: number;
}

/**
 * The whole notifier: the client connect handler function, the email topic, the Slack token
 * secret, the seeded templates, the endpoint attachments, the retry pipeline and the alarms.
 *
 * The parts (infra/parts/) build their resources directly into this construct's scope rather
 * than each under a construct level of its own. CloudFormation knows resources by logical ids
 * derived from their construct paths, and these ids were fixed when the notifier was one class:
 * a new level would replace every deployed resource on upgrade. For a function or log group
 * with a fixed name, or the SQS event source mapping, that fails the deploy; a replaced secret
 * drops the operator's Slack token, a replaced topic its confirmed email subscriptions.
 * test/infra/logical-ids.test.ts holds the ids.
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
  readonly retry?: RetryPipeline;
  /** The custom resources that attach the function to endpoints (when there are endpoints). */
  readonly endpointAttachment?: EndpointAttachment;
  /** connection-events, its connection-log group and subscription (when `connectionEvents` is on). */
  readonly connectionEvents?: ConnectionEvents;
  /** The session table (when `threads` is on). */
  readonly sessionTable?: dynamodb.Table;
  /** slack-actions and its function URL (when `slackAdminUsers` lists anyone). */
  readonly slackActions?: SlackActions;

  constructor(scope: Construct, id: string, props: ClientVpnNotifierProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const functionName = `${FUNCTION_NAME_PREFIX}${props.functionNameSuffix ?? DEFAULT_FUNCTION_NAME_SUFFIX}`;
    const budgetMs = props.notifyBudgetMs ?? DEFAULTS.notifyBudgetMs;
    if (!Number.isInteger(budgetMs) || budgetMs < BUDGET_MS.min || budgetMs > BUDGET_MS.max) {
      throw new ConfigurationError(`notifyBudgetMs must be a whole number from ${BUDGET_MS.min} to ${BUDGET_MS.max}, got ${budgetMs}`);
    }
    const slackApiUrlIssue = props.slackApiUrl ? slackApiUrlProblem(props.slackApiUrl) : undefined;
    // The function would log it and turn Slack off; a deploy should not get that far.
    if (slackApiUrlIssue) throw new ConfigurationError(`slackApiUrl ${JSON.stringify(props.slackApiUrl)} ${slackApiUrlIssue}`);
    const templatePath = (props.templateParameterPath ?? DEFAULTS.templateParameterPath).replace(/\/+$/, '');
    if (!PARAMETER_PATH_PATTERN.test(templatePath)) {
      throw new ConfigurationError(`templateParameterPath must look like /team/templates, got ${JSON.stringify(props.templateParameterPath)}`);
    }
    this.templateParameterPath = templatePath;
    const routesParameter = (props.routesParameter ?? DEFAULTS.routesParameter).replace(/\/+$/, '');
    if (!PARAMETER_PATH_PATTERN.test(routesParameter)) {
      throw new ConfigurationError(`routesParameter must be a parameter name like /team/routes, got ${JSON.stringify(props.routesParameter)}`);
    }
    const connectionLogGroup = props.connectionLogGroup || undefined;
    if (connectionLogGroup !== undefined && !LOG_GROUP_NAME_PATTERN.test(connectionLogGroup)) {
      throw new ConfigurationError(`connectionLogGroup must be a CloudWatch Logs log group name, got ${JSON.stringify(props.connectionLogGroup)}`);
    }
    const adminUsers = props.slackAdminUsers ?? [];
    const badAdmin = adminUsers.find((user) => !SLACK_USER_ID_PATTERN.test(user));
    if (badAdmin !== undefined) throw new ConfigurationError(`slackAdminUsers: ${JSON.stringify(badAdmin)} is not a Slack user ID (U… or W…)`);
    const endpointIds = props.clientVpnEndpointIds ?? [];
    const badEndpoint = endpointIds.find((id) => !CLIENT_VPN_ENDPOINT_ID_PATTERN.test(id));
    if (badEndpoint !== undefined) throw new ConfigurationError(`not a Client VPN endpoint id: ${JSON.stringify(badEndpoint)}`);
    // Its IAM and its list are the configured endpoints: without any it could do nothing at all.
    if (adminUsers.length > 0 && endpointIds.length === 0) {
      throw new ConfigurationError('slackAdminUsers needs clientVpnEndpointIds: slack-actions may only list and disconnect sessions of the endpoints configured there');
    }
    const routesProblems = props.routes === undefined ? [] : routesDocumentProblems(props.routes);
    if (routesProblems.length > 0) throw new ConfigurationError(`routes is not a valid routes document: ${routesProblems.join('; ')}`);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;

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

    const environment: Record<string, string> = {
      SNS_TOPIC_ARN: this.topic.topicArn,
      // The full ARN when known; otherwise the name, which GetSecretValue resolves exactly.
      SLACK_TOKEN_SECRET_ID: this.slackTokenSecret.secretFullArn ?? this.slackTokenSecret.secretName,
      TEMPLATE_PARAMETER_PATH: templatePath,
      ROUTES_PARAMETER: routesParameter,
      NOTIFY_BUDGET_MS: String(budgetMs),
      CACHE_TTL_SECONDS: String(props.cacheTtlSeconds ?? DEFAULTS.cacheTtlSeconds),
      TIME_ZONE: props.timeZone ?? DEFAULTS.timeZone,
    };
    if (props.slackChannel) environment.SLACK_CHANNEL = props.slackChannel;
    else Annotations.of(this).addWarningV2('clientvpn-notifier:no-slack-channel', 'No Slack channel configured: the Slack channel is off.');
    if (props.slackApiUrl) environment.SLACK_API_URL = props.slackApiUrl;

    // Each function may read exactly the parameters it asks for: its templates and the routes document.
    const templateArns = Object.fromEntries(ALL_TEMPLATE_KEYS.map((key) => [key, parameterArn(this, `${templatePath}/${key}`)]));
    const routesArn = parameterArn(this, routesParameter);
    const readsOf = (keys: readonly string[]): string[] => [...keys.map((key) => templateArns[key]!), routesArn];

    const delivery = { topic: this.topic, slackTokenSecret: this.slackTokenSecret };
    if (props.threads ?? true) this.sessionTable = sessionTable(this, { pointInTimeRecovery: props.pointInTimeRecovery ?? false });
    if (props.retryQueue ?? true) {
      this.retry = new RetryPipeline(this, {
        ...delivery,
        environment,
        budgetMs,
        routesParameterArn: routesArn,
        maxReceiveCount: props.maxReceiveCount ?? 20,
        logRetention,
        sessionTable: this.sessionTable,
      });
    }

    // What the connect handler and connection-events share beyond the worker's: where to queue,
    // where sessions are, whether messages carry the Disconnect button.
    const notifying: Record<string, string> = { ...environment };
    if (this.retry) notifying.RETRY_QUEUE_URL = this.retry.queue.queueUrl;
    if (this.sessionTable) notifying.SESSION_TABLE_NAME = this.sessionTable.tableName;
    if (adminUsers.length > 0) notifying.SLACK_ACTIONS = 'on';

    const connect = new ConnectFunction(this, {
      ...delivery,
      functionName,
      budgetMs,
      environment: notifying,
      memorySize: props.memorySize ?? 1024,
      logRetention,
      provisionedConcurrency: props.provisionedConcurrency ?? 0,
      parameterArns: readsOf(CONNECT_TEMPLATE_KEYS),
      retryQueue: this.retry?.queue,
      sessionTable: this.sessionTable,
    });
    this.function = connect.function;
    this.handlerArn = connect.handlerArn;

    new TemplateSeed(this, { templateParameterPath: templatePath, templates: props.templates ?? defaultSeedTemplates(), parameterArns: templateArns });
    if (props.routes !== undefined) {
      seedParameter(this, 'SeedRoutes', {
        resourceType: 'Custom::SeedRoutes',
        what: 'the routes document (setting "routes")',
        name: routesParameter,
        arn: routesArn,
        value: props.routes,
        description: 'clientvpn-notifier routes document (who hears what). Seeded once; edits are kept.',
      });
    }

    if (props.connectionEvents ?? true) {
      this.connectionEvents = new ConnectionEvents(this, {
        ...delivery,
        environment: notifying,
        logRetention,
        parameterArns: readsOf(EVENTS_TEMPLATE_KEYS),
        retryQueue: this.retry?.queue,
        sessionTable: this.sessionTable,
        existingLogGroupName: connectionLogGroup,
        connectionLogRetention: props.connectionLogRetention ?? logs.RetentionDays.ONE_YEAR,
      });
    } else if (connectionLogGroup !== undefined) {
      Annotations.of(this).addWarningV2('clientvpn-notifier:connection-log-group-unused', 'connectionLogGroup is set but connectionEvents is off: nothing subscribes to it.');
    }

    if (endpointIds.length > 0) {
      const events = this.connectionEvents;
      this.endpointAttachment = new EndpointAttachment(this, {
        endpointIds,
        handlerArn: this.handlerArn,
        connectFunction: this.function,
        connectionLog: events && { logGroupName: events.connectionLogGroup.logGroupName, after: [events.subscription] },
      });
    }

    if (adminUsers.length > 0) {
      const shared: Record<string, string> = {
        SLACK_TOKEN_SECRET_ID: environment.SLACK_TOKEN_SECRET_ID!,
        TIME_ZONE: environment.TIME_ZONE!,
        CACHE_TTL_SECONDS: environment.CACHE_TTL_SECONDS!,
      };
      if (environment.SLACK_API_URL) shared.SLACK_API_URL = environment.SLACK_API_URL;
      this.slackActions = new SlackActions(this, { adminUsers, endpointIds, slackTokenSecret: this.slackTokenSecret, environment: shared, logRetention });
    }

    this.alarmTopic = new NotifierAlarms(this, {
      connectFunction: this.function,
      budgetMs,
      retry: this.retry,
      connectionEvents: this.connectionEvents && { function: this.connectionEvents.function, deadLetterQueue: this.connectionEvents.deadLetterQueue },
      emails: props.alarmEmails ?? [],
    }).topic;

    new CfnOutput(this, 'FunctionArn', { value: this.handlerArn, description: 'the client connect handler to give Client VPN' });
    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn, description: 'email notifications: subscribe addresses here' });
    new CfnOutput(this, 'SlackTokenSecretArn', { value: this.slackTokenSecret.secretArn, description: 'put the Slack bot token here' });
    if (endpointIds.length === 0) {
      new CfnOutput(this, 'AttachCommand', {
        description: 'run this to make the function the client connect handler of an endpoint',
        value: `aws ec2 modify-client-vpn-endpoint --region ${stack.region} --client-vpn-endpoint-id <cvpn-endpoint-id> --client-connect-options Enabled=true,LambdaFunctionArn=${this.handlerArn}`,
      });
    }
    if (this.slackActions) {
      new CfnOutput(this, 'SlackActionsUrl', {
        value: this.slackActions.url.url,
        description: 'the Slack app’s Interactivity request URL and /vpn command URL (slack/manifest.yaml)',
      });
    }
    if (this.connectionEvents) {
      const group = this.connectionEvents.connectionLogGroup.logGroupName;
      new CfnOutput(this, 'ConnectionLogGroupName', { value: group, description: 'the connection-log group connection-events is subscribed to' });
      if (endpointIds.length === 0) {
        new CfnOutput(this, 'ConnectionLogCommand', {
          description: 'run this to switch an endpoint’s connection logging on into that group',
          value: `aws ec2 modify-client-vpn-endpoint --region ${stack.region} --client-vpn-endpoint-id <cvpn-endpoint-id> --connection-log-options Enabled=true,CloudwatchLogGroup=${group}`,
        });
      }
    }
  }
}
