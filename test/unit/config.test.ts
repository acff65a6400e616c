import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseConfig } from '../../src/config.ts';

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
    ['SLACK_API_URL', 'not a url', 'slackApiUrl', DEFAULTS.slackApiUrl],
    ['SLACK_API_URL', 'ftp://x/', 'slackApiUrl', DEFAULTS.slackApiUrl],
    ['TEMPLATE_PARAMETER_PATH', 'no-leading-slash', 'templateParameterPath', DEFAULTS.templateParameterPath],
  ] as const)('%s=%s is reported once and the default used', (variable, value, key, fallback) => {
    const { config, warnings } = parseConfig({ [variable]: value });
    expect(config[key]).toBe(fallback);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(variable);
    expect(warnings[0]).toContain(String(fallback));
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
});
