import { BUDGET_MS, CACHE_TTL_SECONDS, CLIENT_VPN_ENDPOINT_ID_PATTERN, LOG_GROUP_NAME_PATTERN, SLACK_USER_ID_PATTERN } from '../src/base/contract.ts';
import { slackApiUrlProblem } from '../src/base/config.ts';
import { ConfigurationError } from './errors.ts';
import { routesDocumentProblems, routesDocumentText } from './routes.ts';

/**
 * The deploy-time settings of the app, from `cdk.json` context key "clientvpn-notifier"
 * (or `-c clientvpn-notifier='{"slackChannel":"C123"}'`). Bad values stop the synth with a
 * message that names the setting; nothing is deployed half-configured.
 */
export interface NotifierSettings {
  readonly notificationEmails: string[];
  readonly alarmEmails: string[];
  readonly slackChannel?: string;
  /** Existing secret name or ARN; unset creates a placeholder secret. */
  readonly slackTokenSecret?: string;
  readonly slackApiUrl?: string;
  readonly templateParameterPath?: string;
  readonly notifyBudgetMs?: number;
  readonly cacheTtlSeconds?: number;
  readonly timeZone?: string;
  readonly clientVpnEndpointIds: string[];
  readonly provisionedConcurrency?: number;
  readonly functionNameSuffix?: string;
  readonly retryQueue?: boolean;
  /** A routes document (contract section 13) as JSON text, seeded when the parameter does not exist yet. */
  readonly routes?: string;
  readonly connectionEvents?: boolean;
  /** Existing connection-log group name; unset: the stack creates one. */
  readonly connectionLogGroup?: string;
  readonly threads?: boolean;
  readonly pointInTimeRecovery?: boolean;
  /** Slack user IDs allowed to disconnect; non-empty deploys slack-actions. */
  readonly slackAdminUsers: string[];
}

/** A wrong value in the settings block; the message names the setting. */
export class SettingsError extends ConfigurationError {
  override readonly name = 'SettingsError';
}

const KEYS = new Set([
  'notificationEmails',
  'alarmEmails',
  'slackChannel',
  'slackTokenSecret',
  'slackApiUrl',
  'templateParameterPath',
  'notifyBudgetMs',
  'cacheTtlSeconds',
  'timeZone',
  'clientVpnEndpointIds',
  'provisionedConcurrency',
  'functionNameSuffix',
  'retryQueue',
  'routes',
  'connectionEvents',
  'connectionLogGroup',
  'threads',
  'pointInTimeRecovery',
  'slackAdminUsers',
]);

export function parseSettings(raw: unknown): NotifierSettings {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new SettingsError('context "clientvpn-notifier" is not JSON');
    }
  }
  if (value === undefined || value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SettingsError('context "clientvpn-notifier" must be an object');
  const input = value as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) throw new SettingsError(`unknown setting "${key}" in context "clientvpn-notifier" (known: ${[...KEYS].join(', ')})`);
  }
  const text = (key: string): string | undefined => {
    const v = input[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw new SettingsError(`setting "${key}" must be a string`);
    return v;
  };
  const list = (key: string, pattern?: RegExp, what?: string): string[] => {
    const v = input[key] ?? [];
    if (!Array.isArray(v) || v.some((item) => typeof item !== 'string')) throw new SettingsError(`setting "${key}" must be a list of strings`);
    for (const item of v as string[]) {
      if (pattern && !pattern.test(item)) throw new SettingsError(`setting "${key}": ${JSON.stringify(item)} is not ${what}`);
    }
    return v as string[];
  };
  const integer = (key: string, min: number, max: number): number | undefined => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new SettingsError(`setting "${key}" must be a whole number from ${min} to ${max}`);
    }
    return v;
  };
  const boolean = (key: string): boolean | undefined => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw new SettingsError(`setting "${key}" must be true or false`);
    return v;
  };
  // The bot token travels to this URL: https only (http only to loopback, for tests), as the function requires.
  const slackApiUrl = (): string | undefined => {
    const v = text('slackApiUrl');
    const problem = v === undefined ? undefined : slackApiUrlProblem(v);
    if (problem) throw new SettingsError(`setting "slackApiUrl": ${JSON.stringify(v)} ${problem}`);
    return v;
  };
  // A document, in cdk.json as an object (or as JSON text); validated by the functions' own parser.
  const routes = (): string | undefined => {
    const v = input.routes;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && (typeof v !== 'object' || Array.isArray(v))) throw new SettingsError('setting "routes" must be a routes document: a JSON object with "routes" and "default"');
    const text = routesDocumentText(v);
    const problems = routesDocumentProblems(text);
    if (problems.length > 0) throw new SettingsError(`setting "routes" is not a valid routes document: ${problems.join('; ')}`);
    return text;
  };
  const logGroupName = (key: string): string | undefined => {
    const v = text(key);
    if (v !== undefined && !LOG_GROUP_NAME_PATTERN.test(v)) throw new SettingsError(`setting "${key}": ${JSON.stringify(v)} is not a CloudWatch Logs log group name (letters, digits, _ - / . #, at most 512)`);
    return v;
  };
  const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
  const settings = {
    notificationEmails: list('notificationEmails', email, 'an email address'),
    alarmEmails: list('alarmEmails', email, 'an email address'),
    slackChannel: text('slackChannel'),
    slackTokenSecret: text('slackTokenSecret'),
    slackApiUrl: slackApiUrl(),
    templateParameterPath: text('templateParameterPath'),
    notifyBudgetMs: integer('notifyBudgetMs', BUDGET_MS.min, BUDGET_MS.max),
    cacheTtlSeconds: integer('cacheTtlSeconds', CACHE_TTL_SECONDS.min, CACHE_TTL_SECONDS.max),
    timeZone: text('timeZone'),
    clientVpnEndpointIds: list('clientVpnEndpointIds', CLIENT_VPN_ENDPOINT_ID_PATTERN, 'a Client VPN endpoint id (cvpn-endpoint-…)'),
    provisionedConcurrency: integer('provisionedConcurrency', 0, 100),
    functionNameSuffix: text('functionNameSuffix'),
    retryQueue: boolean('retryQueue'),
    routes: routes(),
    connectionEvents: boolean('connectionEvents'),
    connectionLogGroup: logGroupName('connectionLogGroup'),
    threads: boolean('threads'),
    pointInTimeRecovery: boolean('pointInTimeRecovery'),
    slackAdminUsers: list('slackAdminUsers', SLACK_USER_ID_PATTERN, 'a Slack user ID (U… or W…)'),
  };
  // slack-actions lists and disconnects sessions of those endpoints only (its IAM names them).
  if (settings.slackAdminUsers.length > 0 && settings.clientVpnEndpointIds.length === 0) {
    throw new SettingsError('setting "slackAdminUsers" needs "clientVpnEndpointIds": slack-actions may only act on the endpoints listed there');
  }
  return settings;
}
