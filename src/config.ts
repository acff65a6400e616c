/**
 * Configuration of the notifier, parsed once from the environment into a frozen object.
 *
 * A bad value never stops a connection: it is reported in `warnings` (logged once at init)
 * and the default is used instead.
 */
export interface Config {
  /** SNS topic for email notifications; undefined turns the email channel off. */
  readonly snsTopicArn: string | undefined;
  /** Secrets Manager id or ARN of the Slack bot token; undefined turns Slack off. */
  readonly slackTokenSecretId: string | undefined;
  /** Slack channel ID or name; undefined turns Slack off. */
  readonly slackChannel: string | undefined;
  /** Slack Web API base URL, always ending in `/`. */
  readonly slackApiUrl: string;
  /** Parameter Store path of the templates, without a trailing `/`. */
  readonly templateParameterPath: string;
  /** Most milliseconds an invocation may take. */
  readonly notifyBudgetMs: number;
  /** How long templates and the token are reused before re-reading. */
  readonly cacheTtlSeconds: number;
  /** IANA zone for human-readable times. */
  readonly timeZone: string;
  /** SQS queue for retryable failed deliveries; undefined means failures are only logged. */
  readonly retryQueueUrl: string | undefined;
  /** AWS region the function runs in ("" when unknown, e.g. a local run). */
  readonly region: string;
}

export const DEFAULTS = Object.freeze({
  slackApiUrl: 'https://slack.com/api/',
  templateParameterPath: '/clientvpn-notifier/templates',
  notifyBudgetMs: 3000,
  cacheTtlSeconds: 60,
  timeZone: 'UTC',
});

/** Client VPN's hard limit is 30 s; leave a second for Lambda itself. */
export const MAX_BUDGET_MS = 29_000;
const MIN_BUDGET_MS = 100;
const MAX_CACHE_TTL_SECONDS = 86_400;

export interface ParsedConfig {
  readonly config: Config;
  /** Human-readable problems with the environment; each names the variable and the default used. */
  readonly warnings: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseConfig(env: Env): ParsedConfig {
  const warnings: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      warnings.push(
        `${name}=${JSON.stringify(raw)} is not a whole number from ${min} to ${max}; using the default ${fallback}`,
      );
      return fallback;
    }
    return Number(raw);
  };

  const config: Config = {
    snsTopicArn: text('SNS_TOPIC_ARN'),
    slackTokenSecretId: text('SLACK_TOKEN_SECRET_ID'),
    slackChannel: text('SLACK_CHANNEL'),
    slackApiUrl: parseSlackApiUrl(text('SLACK_API_URL'), warnings),
    templateParameterPath: parseParameterPath(text('TEMPLATE_PARAMETER_PATH'), warnings),
    notifyBudgetMs: integer('NOTIFY_BUDGET_MS', DEFAULTS.notifyBudgetMs, MIN_BUDGET_MS, MAX_BUDGET_MS),
    cacheTtlSeconds: integer('CACHE_TTL_SECONDS', DEFAULTS.cacheTtlSeconds, 0, MAX_CACHE_TTL_SECONDS),
    timeZone: parseTimeZone(text('TIME_ZONE'), warnings),
    retryQueueUrl: text('RETRY_QUEUE_URL'),
    region: text('AWS_REGION') ?? text('AWS_DEFAULT_REGION') ?? '',
  };
  return Object.freeze({ config: Object.freeze(config), warnings: Object.freeze(warnings) });
}

function parseSlackApiUrl(raw: string | undefined, warnings: string[]): string {
  if (raw === undefined) return DEFAULTS.slackApiUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    warnings.push(`SLACK_API_URL=${JSON.stringify(raw)} is not a URL; using the default ${DEFAULTS.slackApiUrl}`);
    return DEFAULTS.slackApiUrl;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    warnings.push(`SLACK_API_URL=${JSON.stringify(raw)} is not http(s); using the default ${DEFAULTS.slackApiUrl}`);
    return DEFAULTS.slackApiUrl;
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function parseParameterPath(raw: string | undefined, warnings: string[]): string {
  if (raw === undefined) return DEFAULTS.templateParameterPath;
  const path = raw.replace(/\/+$/, '');
  // Parameter Store hierarchy names: letters, digits, . - _ and / separators, fully qualified.
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) {
    warnings.push(
      `TEMPLATE_PARAMETER_PATH=${JSON.stringify(raw)} is not a Parameter Store path like /team/templates; ` +
        `using the default ${DEFAULTS.templateParameterPath}`,
    );
    return DEFAULTS.templateParameterPath;
  }
  return path;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseTimeZone(raw: string | undefined, warnings: string[]): string {
  if (raw === undefined) return DEFAULTS.timeZone;
  if (!isValidTimeZone(raw)) {
    warnings.push(`TIME_ZONE=${JSON.stringify(raw)} is not an IANA time zone; using the default ${DEFAULTS.timeZone}`);
    return DEFAULTS.timeZone;
  }
  return raw;
}
