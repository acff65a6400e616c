import { CLIENT_VPN_ENDPOINT_ID_PATTERN, SLACK_USER_ID_PATTERN } from '../base/contract.ts';
import { parseConfig } from '../base/config.ts';

/**
 * Configuration of the slack-actions function (contract section 15), parsed once from the
 * environment into a frozen object. A bad value is reported in `warnings` and left out:
 * leaving an ID out can only make the function do less, never more.
 */
export interface ActionsConfig {
  /** Secrets Manager id or ARN of the secret holding `token` and `signingSecret`; required. */
  readonly slackTokenSecretId: string | undefined;
  /** Endpoints the function may list and act on; empty: none. */
  readonly endpointIds: readonly string[];
  /** Slack user IDs allowed to disconnect; empty: nobody. */
  readonly adminUsers: readonly string[];
  /** Slack Web API base URL, ending in `/`; undefined when SLACK_API_URL was refused (no thread replies). */
  readonly slackApiUrl: string | undefined;
  /** IANA zone for "connected since". */
  readonly timeZone: string;
  /** How long the token and signing secret are reused before re-reading. */
  readonly cacheTtlSeconds: number;
  /** AWS region ("" when unknown, e.g. a local run). */
  readonly region: string;
}

export interface ParsedActionsConfig {
  readonly config: ActionsConfig;
  readonly warnings: readonly string[];
}

export const ENDPOINT_ID_PATTERN = CLIENT_VPN_ENDPOINT_ID_PATTERN;
export const CONNECTION_ID_PATTERN = /^cvpn-connection-[0-9a-f]{1,32}$/;
/** Slack user IDs: U… for workspace members, W… for Enterprise Grid. */
export { SLACK_USER_ID_PATTERN };

type Env = Readonly<Record<string, string | undefined>>;

function idList(env: Env, name: string, pattern: RegExp, example: string, warnings: string[]): readonly string[] {
  const items = (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  const kept: string[] = [];
  for (const item of items) {
    if (pattern.test(item)) {
      if (!kept.includes(item)) kept.push(item);
    } else {
      warnings.push(`${name}: ${JSON.stringify(item.slice(0, 80))} is not an ID like ${example}; left out`);
    }
  }
  return Object.freeze(kept);
}

export function parseActionsConfig(env: Env): ParsedActionsConfig {
  // The shared settings (SLACK_API_URL's https rule, TIME_ZONE, CACHE_TTL_SECONDS) parse the
  // same way as on the connect handler.
  const base = parseConfig(env);
  const warnings = [...base.warnings];
  const config: ActionsConfig = {
    slackTokenSecretId: base.config.slackTokenSecretId,
    endpointIds: idList(env, 'CLIENT_VPN_ENDPOINT_IDS', ENDPOINT_ID_PATTERN, 'cvpn-endpoint-0123456789abcdef0', warnings),
    adminUsers: idList(env, 'SLACK_ADMIN_USERS', SLACK_USER_ID_PATTERN, 'U0123ABCD', warnings),
    slackApiUrl: base.config.slackApiUrl,
    timeZone: base.config.timeZone,
    cacheTtlSeconds: base.config.cacheTtlSeconds,
    region: base.config.region,
  };
  if (!config.slackTokenSecretId) warnings.push('SLACK_TOKEN_SECRET_ID is not set: no request can be verified, every one is answered 503');
  return Object.freeze({ config: Object.freeze(config), warnings: Object.freeze(warnings) });
}
