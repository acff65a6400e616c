import { errorMessage } from '../base/errors.ts';
import { DEFAULT_ROUTE_NAME, EVENT_KINDS, type EventKind } from '../base/contract.ts';
import {
  BUILT_IN_ROUTES,
  isChannel,
  isEndpointId,
  isMention,
  type Delivery,
  type EmailSetting,
  type Route,
  type RouteConditions,
  type RoutesDocument,
  type SlackSetting,
  type SlackTarget,
} from './document.ts';

/**
 * The strict parser of the routes document (contract section 13). A document that parses is
 * complete (see document.ts); one that does not gets every problem found, each naming its JSON
 * path (`routes[1].when.users[0]: …`), so an operator can fix them all in one go.
 * Never throws: the caller logs the errors and uses BUILT_IN_ROUTES.
 */
export type ParsedRoutes = { readonly ok: true; readonly routes: RoutesDocument } | { readonly ok: false; readonly errors: string[] };

/** Enough to fix a document; past this the rest are counted, not listed. */
const MAX_ERRORS = 50;
const ROUTE_NAME_MAX_CHARS = 100;
const PATTERN_MAX_CHARS = 256;
const ROOT = '(document)';

const ROUTE_KEYS = ['name', 'when', 'slack', 'email', 'continue'] as const;
const WHEN_KEYS = ['events', 'endpoints', 'groups', 'users'] as const;
const SLACK_KEYS = ['channel', 'mention'] as const;
const EMAIL_KEYS = ['events'] as const;
const DEFAULT_KEYS = ['slack', 'email'] as const;
const ROOT_KEYS = ['routes', 'default'] as const;

// Controls and invisible format characters: a name with them would not read back as written.
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

type Json = Record<string, unknown>;

class Problems {
  readonly list: string[] = [];
  private extra = 0;
  add(path: string, message: string): void {
    if (this.list.length < MAX_ERRORS) this.list.push(`${path}: ${message}`);
    else this.extra += 1;
  }
  get count(): number {
    return this.list.length + this.extra;
  }
  result(): string[] {
    return this.extra > 0 ? [...this.list, `… and ${this.extra} more`] : this.list;
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function has(object: Json, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function keyPath(parent: string, key: string): string {
  const part = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === ROOT ? part.replace(/^\./, '') : `${parent}${part}`;
}

/** What was found, briefly: `a number (42)`, `a string ("C 1")`, `null`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  const cut = shown.length > 60 ? `${shown.slice(0, 59)}…` : shown;
  return `a ${typeof value} (${cut})`;
}

function checkKeys(object: Json, allowed: readonly string[], path: string, problems: Problems): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) problems.add(keyPath(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
  }
}

interface ItemKind<T> {
  /** `event kinds (…)`: what the list holds. */
  readonly many: string;
  /** `an event kind (…)`: what each item must be. */
  readonly one: string;
  readonly check: (item: unknown) => item is T;
}

/** A non-empty list whose items pass the check; undefined (and a problem) when it is not. */
function list<T>(value: unknown, path: string, problems: Problems, kind: ItemKind<T>): T[] | undefined {
  if (!Array.isArray(value)) {
    problems.add(path, `must be a list of ${kind.many}, got ${describe(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    problems.add(path, 'must not be empty (an empty list never matches)');
    return undefined;
  }
  const before = problems.count;
  value.forEach((item, index) => {
    if (!kind.check(item)) problems.add(`${path}[${index}]`, `must be ${kind.one}, got ${describe(item)}`);
  });
  return problems.count === before ? (value as T[]) : undefined;
}

const isNonEmptyString = (item: unknown): item is string => typeof item === 'string' && item.trim().length > 0 && !CONTROL_OR_FORMAT.test(item);

const KINDS = EVENT_KINDS.join(', ');
const EVENTS: ItemKind<EventKind> = {
  many: `event kinds (${KINDS})`,
  one: `an event kind (${KINDS})`,
  check: (item): item is EventKind => typeof item === 'string' && (EVENT_KINDS as readonly string[]).includes(item),
};
const ENDPOINTS: ItemKind<string> = { many: 'endpoint IDs (cvpn-endpoint-…)', one: 'an endpoint ID (cvpn-endpoint-…)', check: isEndpointId };
const GROUPS: ItemKind<string> = { many: 'group names', one: 'a group name (a non-empty string)', check: isNonEmptyString };
const USERS: ItemKind<string> = {
  many: 'user patterns',
  one: `a user pattern (a non-empty string of at most ${PATTERN_MAX_CHARS} characters; * matches any run)`,
  check: (item): item is string => isNonEmptyString(item) && item.length <= PATTERN_MAX_CHARS,
};

function parseWhen(value: unknown, path: string, problems: Problems): RouteConditions {
  if (!isObject(value)) {
    problems.add(path, `must be an object of conditions (${WHEN_KEYS.join(', ')}), got ${describe(value)}`);
    return {};
  }
  checkKeys(value, WHEN_KEYS, path, problems);
  const when: { -readonly [K in keyof RouteConditions]: RouteConditions[K] } = {};
  if (has(value, 'events')) when.events = list(value.events, keyPath(path, 'events'), problems, EVENTS);
  if (has(value, 'endpoints')) when.endpoints = list(value.endpoints, keyPath(path, 'endpoints'), problems, ENDPOINTS);
  if (has(value, 'groups')) when.groups = list(value.groups, keyPath(path, 'groups'), problems, GROUPS);
  if (has(value, 'users')) when.users = list(value.users, keyPath(path, 'users'), problems, USERS);
  return when;
}

function parseSlack(value: unknown, path: string, problems: Problems): SlackSetting | undefined {
  if (value === false) return false;
  if (!isObject(value)) {
    problems.add(path, `must be false or an object ({} posts to SLACK_CHANNEL; keys: ${SLACK_KEYS.join(', ')}), got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, SLACK_KEYS, path, problems);
  const target: { -readonly [K in keyof SlackTarget]: SlackTarget[K] } = {};
  if (has(value, 'channel')) {
    if (isChannel(value.channel)) target.channel = value.channel;
    else {
      problems.add(
        keyPath(path, 'channel'),
        `must be a channel ID (C…, G… or D…, uppercase letters and digits) or a channel name (lowercase, no spaces or periods, at most 80 characters), got ${describe(value.channel)}`,
      );
    }
  }
  if (has(value, 'mention')) {
    if (isMention(value.mention)) target.mention = value.mention;
    else problems.add(keyPath(path, 'mention'), `must be <!here>, <!channel>, <@U…> or <!subteam^S…>, got ${describe(value.mention)}`);
  }
  return target;
}

function parseEmail(value: unknown, path: string, problems: Problems): EmailSetting | undefined {
  if (typeof value === 'boolean') return value;
  if (!isObject(value)) {
    problems.add(path, `must be true, false or {"events": [...]}, got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, EMAIL_KEYS, path, problems);
  if (!has(value, 'events')) {
    problems.add(keyPath(path, 'events'), 'is required in an email object (or write true / false)');
    return undefined;
  }
  const events = list(value.events, keyPath(path, 'events'), problems, EVENTS);
  return events ? { events } : undefined;
}

function parseDefault(value: unknown, path: string, problems: Problems): Delivery {
  const builtIn = BUILT_IN_ROUTES.default;
  if (!isObject(value)) {
    problems.add(path, `must be an object (keys: ${DEFAULT_KEYS.join(', ')}), got ${describe(value)}`);
    return builtIn;
  }
  checkKeys(value, DEFAULT_KEYS, path, problems);
  const slack = has(value, 'slack') ? parseSlack(value.slack, keyPath(path, 'slack'), problems) : builtIn.slack;
  const email = has(value, 'email') ? parseEmail(value.email, keyPath(path, 'email'), problems) : builtIn.email;
  return { slack: slack ?? builtIn.slack, email: email ?? builtIn.email };
}

function parseName(value: Json, path: string, seen: Set<string>, problems: Problems): string {
  const namePath = keyPath(path, 'name');
  if (!has(value, 'name')) {
    problems.add(namePath, 'is required (it is the SNS "route" attribute)');
    return '';
  }
  const name = value.name;
  if (typeof name !== 'string' || name.trim() === '' || name !== name.trim() || CONTROL_OR_FORMAT.test(name) || Array.from(name).length > ROUTE_NAME_MAX_CHARS) {
    problems.add(namePath, `must be a non-empty string of at most ${ROUTE_NAME_MAX_CHARS} characters, without surrounding spaces or control characters, got ${describe(name)}`);
    return '';
  }
  if (name === DEFAULT_ROUTE_NAME) problems.add(namePath, `"${DEFAULT_ROUTE_NAME}" is reserved for when no route matches`);
  else if (seen.has(name)) problems.add(namePath, `"${name}" is already the name of an earlier route`);
  seen.add(name);
  return name;
}

function parseRoute(value: unknown, path: string, fallback: Delivery, seen: Set<string>, problems: Problems): Route | undefined {
  if (!isObject(value)) {
    problems.add(path, `must be an object (keys: ${ROUTE_KEYS.join(', ')}), got ${describe(value)}`);
    return undefined;
  }
  checkKeys(value, ROUTE_KEYS, path, problems);
  const name = parseName(value, path, seen, problems);
  const when = has(value, 'when') ? parseWhen(value.when, keyPath(path, 'when'), problems) : {};
  const slack = has(value, 'slack') ? parseSlack(value.slack, keyPath(path, 'slack'), problems) : fallback.slack;
  const email = has(value, 'email') ? parseEmail(value.email, keyPath(path, 'email'), problems) : fallback.email;
  let continues = false;
  if (has(value, 'continue')) {
    if (typeof value.continue === 'boolean') continues = value.continue;
    else problems.add(keyPath(path, 'continue'), `must be true or false, got ${describe(value.continue)}`);
  }
  if (slack === undefined || email === undefined) return undefined;
  return { name, when, slack, email, continue: continues };
}

export function parseRoutes(json: string): ParsedRoutes {
  const problems = new Problems();
  if (typeof json !== 'string') return { ok: false, errors: [`${ROOT}: must be JSON text, got ${describe(json)}`] };
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    return { ok: false, errors: [`${ROOT}: not valid JSON (${errorMessage(error)})`] };
  }
  if (!isObject(document)) return { ok: false, errors: [`${ROOT}: must be a JSON object with "routes" and "default", got ${describe(document)}`] };
  checkKeys(document, ROOT_KEYS, ROOT, problems);

  const fallback = has(document, 'default') ? parseDefault(document.default, 'default', problems) : BUILT_IN_ROUTES.default;
  const routes: Route[] = [];
  if (has(document, 'routes')) {
    if (!Array.isArray(document.routes)) problems.add('routes', `must be a list of routes, got ${describe(document.routes)}`);
    else {
      const seen = new Set<string>();
      document.routes.forEach((item, index) => {
        const route = parseRoute(item, `routes[${index}]`, fallback, seen, problems);
        if (route) routes.push(route);
      });
    }
  }
  if (problems.count > 0) return { ok: false, errors: problems.result() };
  return { ok: true, routes: { routes, default: fallback } };
}
