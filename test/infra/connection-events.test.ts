import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseSettings, SettingsError } from '../../infra/config.ts';
import { CONNECTION_EVENTS_TIMEOUT_SECONDS, DEFAULTS, EVENTS_TEMPLATE_KEYS, METRIC_NAMESPACE, METRIC_SERVICE, METRICS, SESSION_TABLE } from '../../src/base/contract.ts';
import { functionByDescription, notifierFunction, parameterNames, statementsOf, synth, type FunctionResource, type Statement } from './app.ts';

const ENDPOINTS = ['cvpn-endpoint-0abc123', 'cvpn-endpoint-0def456'];
const { template, app } = synth({ slackChannel: 'C0123', clientVpnEndpointIds: ENDPOINTS });
const existing = synth({ slackChannel: 'C0123', connectionLogGroup: '/aws/clientvpn/team', clientVpnEndpointIds: ['cvpn-endpoint-0abc123'], pointInTimeRecovery: true }).template;
const off = synth({ slackChannel: 'C0123', connectionEvents: false, threads: false, clientVpnEndpointIds: ['cvpn-endpoint-0abc123'] }).template;

const eventsFunction = (t: Template) => functionByDescription(t, /connection-events/);
const env = (fn: FunctionResource | undefined) => fn?.Properties.Environment?.Variables ?? {};
/** [actions joined, resource] per statement, sorted: two statements with the same action stay apart. */
const grants = (statements: Statement[]) => statements.map((s) => [[s.Action].flat().join(','), s.Resource] as const).sort(([a], [b]) => a.localeCompare(b));
const logicalIdOf = (t: Template, type: string, prefix: string) => {
  const ids = Object.keys(t.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0]!;
};

describe('connection-events function', () => {
  it('is deployed by default: Node.js 24 arm64, the connection-events bundle, its timeout', () => {
    const fn = eventsFunction(template);
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'index.handler', Timeout: CONNECTION_EVENTS_TIMEOUT_SECONDS });
    expect(eventsFunction(synth({}).template)).toBeDefined();
  });

  it('runs the connection-events bundle', () => {
    const assembly = app.synth();
    const resources = assembly.getStackByName('ClientVpnNotifier').template.Resources as Record<string, { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }>;
    const fn = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::Function' && /connection-events/.test(r.Properties.Description ?? ''));
    const code = readFileSync(join(assembly.directory, `asset.${String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
    expect(code).toContain('connection-events: batch skipped');
    expect(code).not.toContain('client connect allowed');
  });

  it('has the connect handler’s environment (contract section 11), the session table and the retry queue included', () => {
    const connectEnv = env(notifierFunction(template)[1]);
    const eventsEnv = env(eventsFunction(template));
    expect(eventsEnv).toEqual(connectEnv);
    expect(eventsEnv).toMatchObject({
      SESSION_TABLE_NAME: { Ref: expect.stringMatching(/^NotifierSessions/) },
      RETRY_QUEUE_URL: { Ref: expect.stringMatching(/^NotifierRetryQueue/) },
      ROUTES_PARAMETER: DEFAULTS.routesParameter,
    });
  });

  it('may do exactly what delivering and claiming takes: nothing else', () => {
    const fn = eventsFunction(template)!;
    const list = grants(statementsOf(template, fn));
    expect(list.map(([action]) => action)).toEqual([
      'dynamodb:GetItem,dynamodb:UpdateItem',
      'logs:CreateLogStream,logs:PutLogEvents',
      'secretsmanager:GetSecretValue',
      'sns:Publish',
      'sqs:SendMessage',
      'sqs:SendMessage',
      'ssm:GetParameters',
    ]);
    const resource = (action: string) => list.filter(([a]) => a === action).map(([, r]) => r);
    expect(resource('dynamodb:GetItem,dynamodb:UpdateItem')).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^NotifierSessions/), 'Arn'] }]);
    expect(resource('sqs:SendMessage')).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': [expect.stringMatching(/^NotifierRetryQueue/), 'Arn'] }, { 'Fn::GetAtt': [expect.stringMatching(/^NotifierConnectionEventsDeadLetters/), 'Arn'] }]),
    );
    expect(resource('sns:Publish')).toEqual([{ Ref: expect.stringMatching(/^NotifierTopic/) }]);
    expect(JSON.stringify(resource('logs:CreateLogStream,logs:PutLogEvents'))).toMatch(/NotifierConnectionEventsLogs/);
    expect(parameterNames(resource('ssm:GetParameters')[0]).sort()).toEqual([...EVENTS_TEMPLATE_KEYS.map((key) => `${DEFAULTS.templateParameterPath}/${key}`), DEFAULTS.routesParameter].sort());
  });

  it('without the retry queue: no RETRY_QUEUE_URL, and it may send only to its dead-letter queue', () => {
    const t = synth({ retryQueue: false }).template;
    const fn = eventsFunction(t)!;
    expect(env(fn)).not.toHaveProperty('RETRY_QUEUE_URL');
    const sends = grants(statementsOf(t, fn)).filter(([action]) => action === 'sqs:SendMessage');
    expect(sends).toEqual([['sqs:SendMessage', { 'Fn::GetAtt': [expect.stringMatching(/^NotifierConnectionEventsDeadLetters/), 'Arn'] }]]);
  });

  it('parks a batch that failed every attempt in an encrypted, TLS-only dead-letter queue', () => {
    const fn = eventsFunction(template)!;
    expect(fn.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^NotifierConnectionEventsDeadLetters/), 'Arn'] } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    const queueId = logicalIdOf(template, 'AWS::SQS::Queue', 'NotifierConnectionEventsDeadLetters');
    template.hasResource('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', { Queues: [{ Ref: queueId }], PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });

  it('is not deployed with connectionEvents off: no function, subscription, logging or its alarms', () => {
    expect(eventsFunction(off)).toBeUndefined();
    off.resourceCountIs('AWS::Logs::SubscriptionFilter', 0);
    off.resourceCountIs('Custom::ClientVpnConnectionLog', 0);
    off.resourceCountIs('Custom::ClientVpnConnectHandler', 1);
    const alarms = JSON.stringify(off.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).not.toContain(METRICS.handlerDenials);
    expect(alarms).not.toContain('ConnectionEvents');
  });
});

describe('the connection-log group and the subscription', () => {
  it('the stack creates the group, kept a year and when the stack goes, when none is named', () => {
    const groupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'NotifierConnectionLog');
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: { Ref: groupId },
      FilterPattern: '',
      DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierConnectionEvents'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [groupId, 'Arn'] },
    });
  });

  it('an existing group is subscribed to, not created', () => {
    expect(Object.keys(existing.findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith('NotifierConnectionLog'))).toEqual([]);
    existing.hasResourceProperties('AWS::Logs::SubscriptionFilter', { LogGroupName: '/aws/clientvpn/team', FilterPattern: '' });
    const permission = JSON.stringify(existing.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'logs.amazonaws.com' } }));
    expect(permission).toContain(':log-group:/aws/clientvpn/team:*');
  });

  it('outputs the group, and the logging command when no endpoint is configured', () => {
    const outputs = (t: Template) => Object.keys(t.findOutputs('*'));
    expect(outputs(template)).toEqual(expect.arrayContaining([expect.stringMatching(/^NotifierConnectionLogGroupName/)]));
    expect(outputs(template).some((key) => key.startsWith('NotifierConnectionLogCommand'))).toBe(false);
    const command = Object.entries(synth({}).template.findOutputs('*')).find(([key]) => key.startsWith('NotifierConnectionLogCommand'))?.[1] as { Value: unknown };
    expect(JSON.stringify(command.Value)).toContain('--connection-log-options Enabled=true,CloudwatchLogGroup=');
  });
});

describe('connection logging on the configured endpoints', () => {
  it('one resource per endpoint, served by the attachment provider, after its attachment and the subscription', () => {
    const resources = template.findResources('Custom::ClientVpnConnectionLog') as Record<string, { Properties: Record<string, unknown>; DependsOn: string[] }>;
    expect(Object.values(resources).map((r) => r.Properties.EndpointId).sort()).toEqual(ENDPOINTS);
    const groupId = logicalIdOf(template, 'AWS::Logs::LogGroup', 'NotifierConnectionLog');
    const filterId = logicalIdOf(template, 'AWS::Logs::SubscriptionFilter', 'NotifierConnectionLogSubscription');
    for (const resource of Object.values(resources)) {
      expect(resource.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^NotifierAttachProviderframeworkonEvent/), 'Arn'] });
      expect(resource.Properties.LogGroup).toEqual({ Ref: groupId });
      const attachId = logicalIdOf(template, 'Custom::ClientVpnConnectHandler', `NotifierAttach${String(resource.Properties.EndpointId).replace(/-/g, '')}`);
      expect(resource.DependsOn).toEqual(expect.arrayContaining([attachId, filterId]));
    }
    existing.hasResourceProperties('Custom::ClientVpnConnectionLog', { EndpointId: 'cvpn-endpoint-0abc123', LogGroup: '/aws/clientvpn/team' });
  });
});

describe('the session table', () => {
  it('is keyed by connectionId, on demand, with TTL on expiresAt, encrypted with the AWS managed key', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: SESSION_TABLE.partitionKey, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: SESSION_TABLE.ttlAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      },
      DeletionPolicy: 'Delete',
    });
    existing.hasResourceProperties('AWS::DynamoDB::Table', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    expect(SESSION_TABLE).toEqual({ partitionKey: 'connectionId', ttlAttribute: 'expiresAt' });
  });

  it('the connect handler may only put items into it, and knows its name', () => {
    const [, fn] = notifierFunction(template);
    const dynamo = statementsOf(template, fn).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^NotifierSessions/), 'Arn'] } })]);
    expect(env(fn).SESSION_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^NotifierSessions/) });
  });

  it('the retry worker may only read items (to tell its own threads from forged ones), and knows its name', () => {
    const worker = functionByDescription(template, /re-delivers/)!;
    const dynamo = statementsOf(template, worker).filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([expect.objectContaining({ Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^NotifierSessions/), 'Arn'] } })]);
    expect(env(worker).SESSION_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^NotifierSessions/) });
  });

  it('with threads off: no table, no SESSION_TABLE_NAME, no DynamoDB permission anywhere', () => {
    const t = synth({ threads: false }).template;
    t.resourceCountIs('AWS::DynamoDB::Table', 0);
    expect(env(notifierFunction(t)[1])).not.toHaveProperty('SESSION_TABLE_NAME');
    expect(env(eventsFunction(t))).not.toHaveProperty('SESSION_TABLE_NAME');
    expect(env(functionByDescription(t, /re-delivers/)!)).not.toHaveProperty('SESSION_TABLE_NAME');
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('dynamodb:');
  });
});

describe('alarms', () => {
  it('HandlerDenials at least once, and connection-events errors and dead letters, into the alarm topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: METRICS.handlerDenials,
      Namespace: METRIC_NAMESPACE,
      Dimensions: [{ Name: 'Service', Value: METRIC_SERVICE }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^NotifierAlarmTopic') }],
    });
    const fnId = logicalIdOf(template, 'AWS::Lambda::Function', 'NotifierConnectionEvents');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }], Threshold: 1 });
    const dlqId = logicalIdOf(template, 'AWS::SQS::Queue', 'NotifierConnectionEventsDeadLetters');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
  });
});

describe('settings', () => {
  it('take connectionEvents, connectionLogGroup, threads and pointInTimeRecovery', () => {
    expect(parseSettings({ connectionEvents: false, connectionLogGroup: '/aws/clientvpn/team#1', threads: false, pointInTimeRecovery: true })).toMatchObject({
      connectionEvents: false,
      connectionLogGroup: '/aws/clientvpn/team#1',
      threads: false,
      pointInTimeRecovery: true,
    });
    expect(parseSettings({ connectionLogGroup: '' }).connectionLogGroup).toBeUndefined();
  });

  it.each([
    ['a string for connectionEvents', { connectionEvents: 'yes' }, /^setting "connectionEvents" must be true or false$/],
    ['a number for threads', { threads: 1 }, /^setting "threads" must be true or false$/],
    ['a log group name with a space', { connectionLogGroup: 'has space' }, /^setting "connectionLogGroup": "has space" is not a CloudWatch Logs log group name/],
    ['a log group name over 512 characters', { connectionLogGroup: 'x'.repeat(513) }, /^setting "connectionLogGroup": /],
    ['a string for pointInTimeRecovery', { pointInTimeRecovery: 'on' }, /^setting "pointInTimeRecovery" must be true or false$/],
  ])('refuse %s, naming the setting', (_what, input, message) => {
    expect(() => parseSettings(input)).toThrow(SettingsError);
    expect(() => parseSettings(input)).toThrow(message);
  });
});
