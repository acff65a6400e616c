import { BUDGET_MS, CACHE_TTL_SECONDS, DEFAULTS, PARAMETER_PATH_PATTERN } from './contract.ts';

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
  /** Slack Web API base URL, always ending in `/`; undefined when SLACK_API_URL was refused (Slack off). */
  readonly slackApiUrl: string | undefined;
  /** Parameter Store path of the templates, without a trailing `/`. */
  readonly templateParameterPath: string;
  /** Name of the String parameter holding the routes document (section 13). */
  readonly routesParameter: string;
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
  /** DynamoDB session table for threads and the live status line (section 12); undefined: no threads. */
  readonly sessionTableName: string | undefined;
  /** SLACK_ACTIONS=on: messages carry the Disconnect button (contract section 15). */
  readonly slackActions: boolean;
}

export { DEFAULTS };


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
    templateParameterPath: parseParameterPath('TEMPLATE_PARAMETER_PATH', text('TEMPLATE_PARAMETER_PATH'), DEFAULTS.templateParameterPath, warnings),
    routesParameter: parseParameterPath('ROUTES_PARAMETER', text('ROUTES_PARAMETER'), DEFAULTS.routesParameter, warnings),
    notifyBudgetMs: integer('NOTIFY_BUDGET_MS', DEFAULTS.notifyBudgetMs, BUDGET_MS.min, BUDGET_MS.max),
    cacheTtlSeconds: integer('CACHE_TTL_SECONDS', DEFAULTS.cacheTtlSeconds, CACHE_TTL_SECONDS.min, CACHE_TTL_SECONDS.max),
    timeZone: parseTimeZone(text('TIME_ZONE'), warnings),
    retryQueueUrl: text('RETRY_QUEUE_URL'),
    region: text('AWS_REGION') ?? text('AWS_DEFAULT_REGION') ?? '',
    sessionTableName: text('SESSION_TABLE_NAME'),
    slackActions: parseSwitch('SLACK_ACTIONS', text('SLACK_ACTIONS'), warnings),
  };
  return Object.freeze({ config: Object.freeze(config), warnings: Object.freeze(warnings) });
}

/** The hosts a plain-http Slack API URL may point at: tests' loopback fakes, nothing else. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a Slack API base URL is refused, or undefined when it is fine: the bot token travels in
 * its Authorization header, so it must be https (plain http only to loopback, for tests).
 */
export function slackApiUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return 'is not an https: URL (http: is allowed only to a loopback address)';
}

function parseSlackApiUrl(raw: string | undefined, warnings: string[]): string | undefined {
  if (raw === undefined) return DEFAULTS.slackApiUrl;
  const problem = slackApiUrlProblem(raw);
  if (problem) {
    // Falling back to slack.com could post a GovSlack workspace's notices to the wrong place.
    warnings.push(`SLACK_API_URL=${JSON.stringify(raw)} ${problem}; Slack is off`);
    return undefined;
  }
  const href = new URL(raw).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function parseParameterPath(name: string, raw: string | undefined, fallback: string, warnings: string[]): string {
  if (raw === undefined) return fallback;
  const path = raw.replace(/\/+$/, '');
  if (!PARAMETER_PATH_PATTERN.test(path)) {
    warnings.push(`${name}=${JSON.stringify(raw)} is not a Parameter Store name like /team/templates; using the default ${fallback}`);
    return fallback;
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

function parseSwitch(name: string, raw: string | undefined, warnings: string[]): boolean {
  if (raw === undefined || raw.toLowerCase() === 'off') return false;
  if (raw.toLowerCase() === 'on') return true;
  warnings.push(`${name}=${JSON.stringify(raw)} is neither on nor off; using the default off`);
  return false;
}
