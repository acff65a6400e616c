import type { EventKind } from '../base/contract.ts';

/**
 * The routes document of contract section 13, as the parser hands it on: every omitted part
 * already filled in (a route's missing `slack`/`email` from `default`, a missing `default` from
 * the built-in document), so evaluation never has to know what was written and what was implied.
 */

/** `{}` posts to `SLACK_CHANNEL`; a `channel` overrides it; `mention` starts the message. */
export interface SlackTarget {
  readonly channel?: string;
  readonly mention?: string;
}
export type SlackSetting = false | SlackTarget;

/** `true`/`false`, or only for the kinds listed. */
export type EmailSetting = boolean | { readonly events: readonly EventKind[] };

/** Every condition given must hold; each lists alternatives. Absent: no condition. */
export interface RouteConditions {
  readonly events?: readonly EventKind[];
  readonly endpoints?: readonly string[];
  readonly groups?: readonly string[];
  /** Username (or common name when there is none) globs: `*` is any run, case-insensitive. */
  readonly users?: readonly string[];
}

export interface Route {
  readonly name: string;
  readonly when: RouteConditions;
  readonly slack: SlackSetting;
  readonly email: EmailSetting;
  readonly continue: boolean;
}

export interface Delivery {
  readonly slack: SlackSetting;
  readonly email: EmailSetting;
}

export interface RoutesDocument {
  readonly routes: readonly Route[];
  readonly default: Delivery;
}

/** Used when the parameter is missing or invalid (contract section 13). */
export const BUILT_IN_ROUTES: RoutesDocument = Object.freeze({
  routes: Object.freeze([]),
  default: Object.freeze({
    slack: Object.freeze({}),
    email: Object.freeze({ events: Object.freeze(['connect', 'connect-failed'] as const) }),
  }),
});

/**
 * The four mention forms: `<!here>`, `<!channel>`, `<@U…>`, `<!subteam^S…>`. They are inserted
 * raw into every template (blocks included), which is safe because none holds a quote, a
 * backslash or a space, and only the routes document (never an event) can supply one.
 */
const MENTION = /^(?:<!here>|<!channel>|<@U[A-Z0-9]{1,20}>|<!subteam\^S[A-Z0-9]{1,20}>)$/;

export function isMention(value: unknown): value is string {
  return typeof value === 'string' && MENTION.test(value);
}

/**
 * A channel ID (`C…`, private `G…`, direct message `D…`: uppercase letters and digits) or a
 * channel name as Slack allows them (lowercase, no spaces or periods, at most 80 characters,
 * letters of any script), with or without a leading `#`.
 */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,20}$/;
const CHANNEL_NAME = /^#?[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Nd}_-]{1,80}$/u;

export function isChannel(value: unknown): value is string {
  return typeof value === 'string' && (CHANNEL_ID.test(value) || CHANNEL_NAME.test(value));
}

/** Channels compare without the optional `#` of a name. */
export function channelKey(channel: string): string {
  return channel.startsWith('#') ? channel.slice(1) : channel;
}

const ENDPOINT_ID = /^cvpn-endpoint-[0-9a-f]{1,32}$/;

export function isEndpointId(value: unknown): value is string {
  return typeof value === 'string' && ENDPOINT_ID.test(value);
}

/** Every Slack channel a document names (routes and default), in order, without repeats. */
export function channelsNamed(doc: RoutesDocument): string[] {
  const named = [...doc.routes.map((route) => route.slack), doc.default.slack].flatMap((slack) => (slack && slack.channel ? [slack.channel] : []));
  return [...new Set(named)];
}
