import { DEFAULT_ROUTE_NAME, type EventKind } from '../base/contract.ts';
import { BUILT_IN_ROUTES, channelKey, isMention, type Delivery, type Route, type RoutesDocument } from './document.ts';

/** What routing looks at: the notification's kind and who/where it is about. */
export interface RouteSubject {
  readonly kind: EventKind;
  readonly endpointId: string;
  /** A disconnect passes its connect's groups when known, else none. */
  readonly groups: readonly string[];
  readonly username: string;
  readonly commonName: string;
}

export interface SlackDestination {
  readonly channel: string;
  /** One of the four allowed forms, or `""`: the template context's `mention`. */
  readonly mention: string;
}

export interface RouteDecision {
  /** One per distinct channel, in the order the delivering routes name them. */
  readonly slack: readonly SlackDestination[];
  readonly email: boolean;
  /** The first matching route's name, or `default`: the SNS `route` attribute. */
  readonly route: string;
  /** Every route that matched and delivers, in order; empty when `default` decided. */
  readonly matched: readonly string[];
}

/**
 * `*` matches any run of characters (none included); everything else matches itself,
 * case-insensitively. Iterative with one backtrack point, so a hostile username costs at most
 * its length times the pattern's, never exponential time like a naive regex could.
 */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let pi = 0;
  let ti = 0;
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (pi < p.length && p[pi] === '*') {
      star = pi;
      resume = ti;
      pi += 1;
    } else if (pi < p.length && p[pi] === t[ti]) {
      pi += 1;
      ti += 1;
    } else if (star >= 0) {
      pi = star + 1;
      resume += 1;
      ti = resume;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi += 1;
  return pi === p.length;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function matches(route: Route, subject: RouteSubject): boolean {
  const when = route.when ?? {};
  if (when.events && !when.events.includes(subject.kind)) return false;
  if (when.endpoints && !when.endpoints.includes(text(subject.endpointId))) return false;
  if (when.groups) {
    const groups = Array.isArray(subject.groups) ? subject.groups : [];
    if (!groups.some((group) => when.groups?.includes(group))) return false;
  }
  if (when.users) {
    const who = text(subject.username) || text(subject.commonName);
    if (!when.users.some((pattern) => globMatch(pattern, who))) return false;
  }
  return true;
}

function wantsEmail(delivery: Delivery, kind: EventKind): boolean {
  const email = delivery.email;
  if (typeof email === 'boolean') return email;
  return Array.isArray(email?.events) && email.events.includes(kind);
}

function decide(doc: RoutesDocument, subject: RouteSubject, fallbackChannel: string | undefined): RouteDecision {
  if (!Array.isArray(doc.routes) || typeof doc.default !== 'object' || doc.default === null) throw new TypeError('not a routes document');
  const delivering: Route[] = [];
  for (const route of doc.routes) {
    if (typeof route !== 'object' || route === null) throw new TypeError('not a route');
    if (!matches(route, subject)) continue;
    delivering.push(route);
    if (route.continue !== true) break;
  }
  const deliveries: readonly Delivery[] = delivering.length > 0 ? delivering : [doc.default];

  const byChannel = new Map<string, { channel: string; mention: string }>();
  for (const delivery of deliveries) {
    if (!delivery.slack) continue;
    const channel = delivery.slack.channel ?? fallbackChannel;
    if (!channel) continue;
    const mention = isMention(delivery.slack.mention) ? delivery.slack.mention : '';
    const key = channelKey(channel);
    const seen = byChannel.get(key);
    // One post per channel; its mention is the first route's that names one.
    if (!seen) byChannel.set(key, { channel, mention });
    else if (!seen.mention) seen.mention = mention;
  }

  return {
    slack: [...byChannel.values()],
    email: deliveries.some((delivery) => wantsEmail(delivery, subject.kind)),
    route: delivering[0]?.name ?? DEFAULT_ROUTE_NAME,
    matched: delivering.map((route) => route.name),
  };
}

/**
 * Who hears about a notification (contract section 13). Pure; never throws: a document built
 * by hand that breaks the parser's guarantees is evaluated as the built-in one instead.
 */
export function evaluateRoutes(doc: RoutesDocument, subject: RouteSubject, fallbackChannel: string | undefined): RouteDecision {
  try {
    return decide(doc, subject, fallbackChannel);
  } catch {
    try {
      return decide(BUILT_IN_ROUTES, subject, fallbackChannel);
    } catch {
      // Not even the subject can be read: everyone the built-in document would tell hears it.
      return { slack: fallbackChannel ? [{ channel: fallbackChannel, mention: '' }] : [], email: true, route: DEFAULT_ROUTE_NAME, matched: [] };
    }
  }
}
