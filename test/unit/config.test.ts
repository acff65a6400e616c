import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig } from '../../src/base/config.ts';

describe('parseConfig', () => {
  it('uses the contract defaults for an empty environment', () => {
    const { config, warnings } = parseConfig({});
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      snsTopicArn: undefined,
      slackTokenSecretId: undefined,
      slackChannel: undefined,
      slackApiUrl: 'https://slack.com/api/',
      templateParameterPath: '/clientvpn-notifier/templates',
      notifyBudgetMs: 3000,
      cacheTtlSeconds: 60,
      timeZone: 'UTC',
      retryQueueUrl: undefined,
      region: '',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const { config, warnings } = parseConfig({
      SNS_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:t',
      SLACK_TOKEN_SECRET_ID: 'slack/token',
      SLACK_CHANNEL: 'C0123',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      TEMPLATE_PARAMETER_PATH: '/team/tpl/',
      NOTIFY_BUDGET_MS: '5000',
      CACHE_TTL_SECONDS: '0',
      TIME_ZONE: 'Asia/Tokyo',
      RETRY_QUEUE_URL: 'http://127.0.0.1/q',
      AWS_REGION: 'ap-northeast-1',
    });
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      snsTopicArn: 'arn:aws:sns:ap-northeast-1:123456789012:t',
      slackTokenSecretId: 'slack/token',
      slackChannel: 'C0123',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      templateParameterPath: '/team/tpl',
      notifyBudgetMs: 5000,
      cacheTtlSeconds: 0,
      timeZone: 'Asia/Tokyo',
      retryQueueUrl: 'http://127.0.0.1/q',
      region: 'ap-northeast-1',
    });
  });

  it.each([
    ['NOTIFY_BUDGET_MS', 'abc', 'notifyBudgetMs', DEFAULTS.notifyBudgetMs],
    ['NOTIFY_BUDGET_MS', '-5', 'notifyBudgetMs', DEFAULTS.notifyBudgetMs],
    ['NOTIFY_BUDGET_MS', '60000', 'notifyBudgetMs', DEFAULTS.notifyBudgetMs],
    ['NOTIFY_BUDGET_MS', '1.5', 'notifyBudgetMs', DEFAULTS.notifyBudgetMs],
    ['CACHE_TTL_SECONDS', 'soon', 'cacheTtlSeconds', DEFAULTS.cacheTtlSeconds],
    ['TIME_ZONE', 'Mars/Olympus', 'timeZone', DEFAULTS.timeZone],
    ['SLACK_API_URL', 'not a url', 'slackApiUrl', undefined],
    ['SLACK_API_URL', 'ftp://x/', 'slackApiUrl', undefined],
    ['SLACK_API_URL', 'http://slack.example.com/api/', 'slackApiUrl', undefined],
    ['SLACK_API_URL', 'http://10.0.0.1/api/', 'slackApiUrl', undefined],
    ['TEMPLATE_PARAMETER_PATH', 'no-leading-slash', 'templateParameterPath', DEFAULTS.templateParameterPath],
  ] as const)('%s=%s is reported once and the default used', (variable, value, key, fallback) => {
    const { config, warnings } = parseConfig({ [variable]: value });
    expect(config[key]).toBe(fallback);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(variable);
    expect(warnings[0]).toContain(fallback === undefined ? 'Slack is off' : String(fallback));
  });

  it('takes the budget up to 25000 ms and no further: Client VPN counts init in its 30 s', () => {
    expect(parseConfig({ NOTIFY_BUDGET_MS: '25000' }).config.notifyBudgetMs).toBe(25_000);
    const { config, warnings } = parseConfig({ NOTIFY_BUDGET_MS: '25001' });
    expect(config.notifyBudgetMs).toBe(DEFAULTS.notifyBudgetMs);
    expect(warnings[0]).toMatch(/NOTIFY_BUDGET_MS.*100 to 25000/);
  });

  it('allows plain http only to loopback, for tests', () => {
    for (const url of ['http://127.0.0.1:9/api/', 'http://localhost:9/api/', 'http://[::1]:9/api/']) {
      expect(parseConfig({ SLACK_API_URL: url }).warnings).toEqual([]);
    }
  });

  it('treats empty and blank values as unset', () => {
    const { config, warnings } = parseConfig({ SNS_TOPIC_ARN: '', SLACK_CHANNEL: '   ', NOTIFY_BUDGET_MS: '' });
    expect(warnings).toEqual([]);
    expect(config.snsTopicArn).toBeUndefined();
    expect(config.slackChannel).toBeUndefined();
    expect(config.notifyBudgetMs).toBe(3000);
  });

  it('falls back to AWS_DEFAULT_REGION', () => {
    expect(parseConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }).config.region).toBe('eu-west-1');
  });

  it('takes a channel name as well as an ID with threads on (the retry worker checks thread replies against the session table)', () => {
    expect(parseConfig({ SESSION_TABLE_NAME: 't', SLACK_CHANNEL: '#vpn' }).warnings).toEqual([]);
    expect(parseConfig({ SESSION_TABLE_NAME: 't', SLACK_CHANNEL: 'C0123ABC' }).warnings).toEqual([]);
  });
});
