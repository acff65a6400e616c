import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../infra/errors.ts';
import { ClientVpnNotifier } from '../../infra/notifier.ts';
import { BUDGET_MS, CLIENT_VPN_TIMEOUT_MS, connectFunctionTimeoutSeconds, DEFAULTS, LAMBDA_MARGIN_MS } from '../../src/base/contract.ts';
import { notifierFunction as findNotifierFunction, policyStatementsOfRole, synth } from './app.ts';

const EVERYTHING = {
  slackChannel: 'C0123',
  notificationEmails: ['ops@example.com', 'sec@example.com'],
  alarmEmails: ['oncall@example.com'],
  clientVpnEndpointIds: ['cvpn-endpoint-0abc123'],
  notifyBudgetMs: 4000,
  cacheTtlSeconds: 120,
  timeZone: 'Asia/Tokyo',
  templateParameterPath: '/team/vpn/templates',
};

const { template } = synth(EVERYTHING);
const defaults = synth({}).template;
const notifierFunction = (t = template) => findNotifierFunction(t);

describe('the connect handler function', () => {
  it('is named with the AWSClientVPN- prefix (a fixed string), on Node.js 24 arm64', () => {
    const [, fn] = notifierFunction();
    expect(fn.Properties.FunctionName).toBe('AWSClientVPN-clientvpn-notifier');
    expect(fn.Properties.Runtime).toBe('nodejs24.x');
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.MemorySize).toBe(1024);
    // Budget 4000 ms: 4 s, the 1 s answer margin, 2 s for init (contract section 5).
    expect(fn.Properties.Timeout).toBe(7);
  });

  it('derives its timeout from the budget, inside Client VPN’s 30 s, and refuses a budget over 25000 ms', () => {
    const timeout = (t: typeof template) => notifierFunction(t)[1].Properties.Timeout;
    expect(timeout(synth({ notifyBudgetMs: BUDGET_MS.max }).template)).toBe(connectFunctionTimeoutSeconds(BUDGET_MS.max));
    expect(timeout(defaults)).toBe(connectFunctionTimeoutSeconds(DEFAULTS.notifyBudgetMs));
    expect(() => synth({ notifyBudgetMs: BUDGET_MS.max + 1 })).toThrow(/setting "notifyBudgetMs" must be a whole number from 100 to 25000/);
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'B'), 'N', { notifyBudgetMs: BUDGET_MS.max + 1 })).toThrow(/notifyBudgetMs must be a whole number from 100 to 25000, got 25001/);
  });

  it('every allowed budget leaves the margin and stays under Client VPN’s limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: BUDGET_MS.min, max: BUDGET_MS.max }), (budgetMs) => {
        const seconds = connectFunctionTimeoutSeconds(budgetMs);
        expect(Number.isInteger(seconds)).toBe(true);
        expect(seconds * 1000).toBeGreaterThanOrEqual(budgetMs + LAMBDA_MARGIN_MS);
        expect(seconds * 1000).toBeLessThanOrEqual(CLIENT_VPN_TIMEOUT_MS);
      }),
    );
  });

  it('refuses a Slack API URL the token could travel to in clear, and passes a good one through', () => {
    expect(() => synth({ slackApiUrl: 'http://slack.example/api/' })).toThrow(/setting "slackApiUrl"/);
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'H'), 'N', { slackApiUrl: 'http://slack.example/api/' })).toThrow(ConfigurationError);
    expect(() => new ClientVpnNotifier(new Stack(new App(), 'H'), 'N', { slackApiUrl: 'http://slack.example/api/' })).toThrow(/^slackApiUrl "http:\/\/slack.example\/api\/" is not an https: URL/);
    const [, fn] = notifierFunction(synth({ slackApiUrl: 'https://slack-gov.com/api/' }).template);
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SLACK_API_URL).toBe('https://slack-gov.com/api/');
  });

  it('has the contract’s environment', () => {
    const [, fn] = notifierFunction();
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(env).sort()).toEqual(['CACHE_TTL_SECONDS', 'NOTIFY_BUDGET_MS', 'RETRY_QUEUE_URL', 'ROUTES_PARAMETER', 'SESSION_TABLE_NAME', 'SLACK_CHANNEL', 'SLACK_TOKEN_SECRET_ID', 'SNS_TOPIC_ARN', 'TEMPLATE_PARAMETER_PATH', 'TIME_ZONE']);
    expect(env.RETRY_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^NotifierRetryQueue/) });
    expect(env).toMatchObject({ SLACK_CHANNEL: 'C0123', TEMPLATE_PARAMETER_PATH: '/team/vpn/templates', NOTIFY_BUDGET_MS: '4000', CACHE_TTL_SECONDS: '120', TIME_ZONE: 'Asia/Tokyo' });
    expect(env.SNS_TOPIC_ARN).toEqual({ Ref: expect.stringMatching(/^NotifierTopic/) });
  });

  it('uses the contract defaults when nothing is configured, and leaves Slack off without a channel', () => {
    const [, fn] = notifierFunction(defaults);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({ TEMPLATE_PARAMETER_PATH: '/clientvpn-notifier/templates', NOTIFY_BUDGET_MS: '3000', CACHE_TTL_SECONDS: '60', TIME_ZONE: 'UTC' });
    expect(env).not.toHaveProperty('SLACK_CHANNEL');
  });

  it('never has reserved concurrency; provisioned concurrency only on request, through an alias', () => {
    for (const t of [template, defaults, synth({ provisionedConcurrency: 3 }).template]) {
      const [, fn] = notifierFunction(t);
      expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    }
    defaults.resourceCountIs('AWS::Lambda::Alias', 0);
    synth({ provisionedConcurrency: 3 }).template.hasResourceProperties('AWS::Lambda::Alias', {
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 },
    });
  });

  it('logs to its own log group with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/AWSClientVPN-clientvpn-notifier', RetentionInDays: 90 });
  });

  it('may write its logs, publish to its topic, read its secret, its templates and the routes document, send retries: nothing else', () => {
    const [, fn] = notifierFunction();
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    const role = template.findResources('AWS::IAM::Role')[roleId] as { Properties: Record<string, unknown> };
    expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
    const statements = policyStatementsOfRole(template, roleId) as { Action: string | string[]; Resource: unknown }[];
    const byAction = Object.fromEntries(statements.map((s) => [[s.Action].flat().join(','), s.Resource]));
    expect(Object.keys(byAction).sort()).toEqual(['dynamodb:PutItem', 'logs:CreateLogStream,logs:PutLogEvents', 'secretsmanager:GetSecretValue', 'sns:Publish', 'sqs:SendMessage', 'ssm:GetParameters']);
    expect(byAction['sqs:SendMessage']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^NotifierRetryQueue/), 'Arn'] });
    expect(byAction['sns:Publish']).toEqual({ Ref: expect.stringMatching(/^NotifierTopic/) });
    expect(byAction['secretsmanager:GetSecretValue']).toEqual({ Ref: expect.stringMatching(/^NotifierSlackToken/) });
    const ssm = JSON.stringify(byAction['ssm:GetParameters']);
    for (const name of ['slack', 'email-subject', 'email-body', 'slack-blocks']) expect(ssm).toContain(`:parameter/team/vpn/templates/${name}"`);
    expect(ssm).toContain(':parameter/clientvpn-notifier/routes"');
    expect(ssm).not.toContain('*');
    expect(JSON.stringify(byAction['logs:CreateLogStream,logs:PutLogEvents'])).toMatch(/NotifierLogs.*Arn/);
  });

  it('reads an existing secret by name, and only that secret', () => {
    const { template: t } = synth({ slackTokenSecret: 'team/slack-bot' });
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const [, fn] = notifierFunction(t);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.SLACK_TOKEN_SECRET_ID).toBe('team/slack-bot');
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    const secretStatement = (policyStatementsOfRole(t, roleId) as { Action: string; Resource: unknown }[]).find((s) => s.Action === 'secretsmanager:GetSecretValue');
    expect(JSON.stringify(secretStatement?.Resource)).toContain(':secret:team/slack-bot-??????');
  });

  it('creates a placeholder secret, kept when the stack goes', () => {
    defaults.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: { GenerateSecretString: Match.anyValue() } });
  });
});

describe('the email topic', () => {
  it('is encrypted at rest and refuses non-TLS publishers', () => {
    const topics = template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Client VPN connections' } });
    expect(JSON.stringify(Object.values(topics)[0])).toMatch(/"KmsMasterKeyId":\{.*:alias\/aws\/sns"/);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has one email subscription per address', () => {
    for (const email of ['ops@example.com', 'sec@example.com']) {
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email, TopicArn: { Ref: Match.stringLikeRegexp('^NotifierTopic') } });
    }
    defaults.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('endpoint attachment', () => {
  it('attaches the function to each configured endpoint through a custom resource', () => {
    template.hasResourceProperties('Custom::ClientVpnConnectHandler', {
      EndpointId: 'cvpn-endpoint-0abc123',
      FunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierFunction'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ec2:ModifyClientVpnEndpoint', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':client-vpn-endpoint/cvpn-endpoint-0abc123$')])] } }),
        ]),
      },
    });
  });

  it('may check only that a prefixed function in its account and region exists (the handler it puts back)', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as { Properties: { PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] } } }[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement).filter((s) => JSON.stringify(s.Action).includes('GetFunctionConfiguration'));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Sid: 'CheckPreviousHandlerExists', Action: 'lambda:GetFunctionConfiguration' });
    expect(JSON.stringify(statements[0]!.Resource)).toBe(
      JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':lambda:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':function:AWSClientVPN-*']] }),
    );
  });

  it('attaches the alias when provisioned concurrency is on', () => {
    synth({ clientVpnEndpointIds: ['cvpn-endpoint-0abc123'], provisionedConcurrency: 1 }).template.hasResourceProperties('Custom::ClientVpnConnectHandler', {
      FunctionArn: { Ref: Match.stringLikeRegexp('^NotifierLive') },
    });
  });

  it('without endpoints, outputs the function ARN and the attach command', () => {
    defaults.resourceCountIs('Custom::ClientVpnConnectHandler', 0);
    const outputs = defaults.findOutputs('*');
    const command = Object.entries(outputs).find(([key]) => key.includes('AttachCommand'))?.[1] as { Value: unknown };
    expect(JSON.stringify(command.Value)).toContain('aws ec2 modify-client-vpn-endpoint');
    expect(JSON.stringify(command.Value)).toContain('--client-connect-options Enabled=true,LambdaFunctionArn=');
    expect(Object.keys(outputs).some((key) => key.includes('FunctionArn'))).toBe(true);
  });
});

describe('alarms', () => {
  it('watch errors, throttles, duration near the budget and notification failures, into the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Statistic: 'Maximum', Threshold: 3600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NotificationFailures', Namespace: 'ClientVpnNotifier', Dimensions: [{ Name: 'Service', Value: 'clientvpn-notifier' }] });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: { AlarmActions: { Ref: string }[] } }[];
    expect(alarms).toHaveLength(10);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^NotifierAlarmTopic/) }]);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^NotifierAlarmTopic') } });
  });

  it('CloudWatch may use the alarm key only for alarms of this account', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key')) as { Properties: { KeyPolicy: { Statement: { Principal?: { Service?: unknown }; Condition?: unknown }[] } } }[];
    const serviceStatements = keys.flatMap((k) => k.Properties.KeyPolicy.Statement).filter((s) => s.Principal?.Service !== undefined);
    expect(serviceStatements.length).toBeGreaterThan(0);
    for (const statement of serviceStatements) expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  });

  it('the alarm topic is encrypted with a rotating key CloudWatch may use', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'clientvpn-notifier alarms', KmsMasterKeyId: Match.anyValue() });
  });
});

describe('logs', () => {
  it('every function, the deploy-time helpers included, logs to a log group of the stack with a retention', () => {
    for (const t of [template, defaults]) {
      const functions = Object.entries(t.findResources('AWS::Lambda::Function')) as [string, { Properties: { LoggingConfig?: { LogGroup?: unknown } } }][];
      const groups = t.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { RetentionInDays?: number } }>;
      expect(functions.length).toBeGreaterThanOrEqual(2);
      for (const [id, fn] of functions) {
        const ref = fn.Properties.LoggingConfig?.LogGroup as { Ref?: string } | undefined;
        expect(ref?.Ref, `${id} has an explicit log group`).toBeDefined();
        expect(groups[ref!.Ref!]?.Properties.RetentionInDays, `${id}'s log group has a retention`).toBeGreaterThan(0);
      }
    }
  });

  it('the functions behind the template seeding and the endpoint attachment keep their logs a month', () => {
    const functions = template.findResources('AWS::Lambda::Function') as Record<string, { Properties: { LoggingConfig?: { LogGroup?: { Ref: string } } } }>;
    const groups = template.findResources('AWS::Logs::LogGroup') as Record<string, { Properties: { RetentionInDays?: number } }>;
    const retentionOf = (logicalIdPrefix: string) => {
      const entry = Object.entries(functions).find(([id]) => id.startsWith(logicalIdPrefix));
      return groups[entry![1].Properties.LoggingConfig!.LogGroup!.Ref]?.Properties.RetentionInDays;
    };
    expect(retentionOf('AWS679f53fac002430cb0da5b7982bd2287')).toBe(30);
    expect(retentionOf('NotifierAttachProviderframeworkonEvent')).toBe(30);
    expect(retentionOf('NotifierAttachHandler')).toBe(30);
  });
});

describe('retry queue and worker', () => {
  it('has an encrypted, TLS-only queue with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierRetryDeadLetters'), 'Arn'] }, maxReceiveCount: 20 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    expect(policies).toHaveLength(3); // the retry queue, its dead letters, connection-events' dead letters
    for (const policy of policies) expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
  });

  it('the worker runs the retry-worker bundle from the queue, with partial batch responses and low concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 7,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierRetryQueue'), 'Arn'] },
    });
    const workers = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('re-delivers') } });
    const [worker] = Object.values(workers) as { Properties: { Runtime: string; Environment: { Variables: Record<string, unknown> }; Role: { 'Fn::GetAtt': string[] } } }[];
    expect(worker?.Properties.Runtime).toBe('nodejs24.x');
    expect(Object.keys(worker!.Properties.Environment.Variables)).toContain('RETRY_QUEUE_URL');
    const roleId = worker!.Properties.Role['Fn::GetAtt'][0] as string;
    const statements = policyStatementsOfRole(template, roleId) as { Action: string | string[] }[];
    const actions = statements.flatMap((s) => [s.Action].flat()).sort();
    expect(actions).toEqual([
      'dynamodb:GetItem',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sns:Publish',
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'ssm:GetParameter',
    ]);
  });

  it('alarms on dead letters, the age of the oldest queued notification and lost notifications', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Namespace: 'AWS/SQS', Threshold: 900 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NotificationsLost', Namespace: 'ClientVpnNotifier' });
  });

  it('can be turned off: no queue, no worker, no RETRY_QUEUE_URL', () => {
    const { template: off } = synth({ retryQueue: false, connectionEvents: false });
    off.resourceCountIs('AWS::SQS::Queue', 0);
    off.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
    const [, fn] = notifierFunction(off);
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).not.toHaveProperty('RETRY_QUEUE_URL');
  });
});

describe('function code', () => {
  it('each function gets its own bundle: the handler runs the connect handler, the worker the retry worker', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { app } = synth({ slackChannel: 'C1' });
    const assembly = app.synth();
    const stackArtifact = assembly.getStackByName('ClientVpnNotifier');
    const resources = stackArtifact.template.Resources as Record<string, { Type: string; Properties: { Description?: string; FunctionName?: string; Code?: { S3Key?: string } } }>;
    const code = (predicate: (p: { Description?: string; FunctionName?: string }) => boolean) => {
      const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && predicate(r.Properties));
      const key = String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '');
      return readFileSync(join(assembly.directory, `asset.${key}`, 'index.mjs'), 'utf8');
    };
    const handlerCode = code((p) => p.FunctionName === 'AWSClientVPN-clientvpn-notifier');
    const workerCode = code((p) => /re-delivers/.test(p.Description ?? ''));
    expect(handlerCode).toContain('client connect allowed');
    expect(handlerCode).not.toContain('retry batch done');
    // The two-stage bundle itself, byte for byte what `npm run build` makes (issue 14): not a
    // build of the entry with the plain options.
    const { bundleFiles, STAGE_TWO_PREFIX } = await import('../../scripts/bundle.ts');
    const built = bundleFiles('connect-handler', join(assembly.directory, 'rebuilt')).find((file) => file.path.endsWith('/index.mjs'));
    expect(handlerCode).toBe(Buffer.from(built?.contents ?? []).toString('utf8'));
    expect(handlerCode).toContain(JSON.stringify(STAGE_TWO_PREFIX).slice(1, -1));
    expect(workerCode).toContain('retry batch done');
    expect(workerCode).not.toContain('client connect allowed');
  });
});
