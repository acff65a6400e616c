/**
 * What the routes commands work out, as pure functions: the routing subject of an event or a
 * connection log entry (as the functions build it), the report of a decision, routes that can
 * never match, and whether two documents say the same thing.
 */
import { parseConnection } from '../base/connection.ts';
import { PARAMETER_TIER_MAX_BYTES } from '../base/contract.ts';
import { classifyEntry } from '../events/classify.ts';
import { buildEventContext } from '../events/context.ts';
import { buildContext } from '../render/context.ts';
import type { Delivery, RoutesDocument } from '../routing/document.ts';
import type { RouteDecision, RouteSubject } from '../routing/evaluate.ts';
import { isLogEntry } from './preview.ts';

export type SubjectReading =
  | {
      readonly ok: true;
      readonly subject: RouteSubject;
      readonly from: 'connect event' | 'connection log entry';
      /** False for a log entry without --groups: its connect's groups are known only to the session table. */
      readonly groupsKnown: boolean;
    }
  | { readonly ok: false; readonly notified: false; readonly reason: string }
  | { readonly ok: false; readonly notified: undefined; readonly reason: string };

/**
 * The subject routing sees for `event`: a connect event (contract 3), or a connection log entry
 * (contract 11, told apart by its `connection-log-type` key) classified as connection-events
 * would. `groups` replaces the groups (a log entry has none of its own).
 */
export function subjectOf(event: unknown, groups: readonly string[] | undefined, timeZone: string): SubjectReading {
  if (isLogEntry(event)) {
    const classified = classifyEntry(JSON.stringify(event));
    if (classified.kind === 'ignored') return { ok: false, notified: false, reason: classified.reason };
    if (classified.kind === 'unparseable') return { ok: false, notified: undefined, reason: classified.reason };
    const context = buildEventContext(classified.entry, classified.kind, null, timeZone, '');
    return {
      ok: true,
      from: 'connection log entry',
      groupsKnown: groups !== undefined,
      subject: { kind: classified.kind, endpointId: context.endpointId, groups: groups ?? [], username: context.username, commonName: context.commonName },
    };
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return { ok: false, notified: undefined, reason: 'neither a connect event nor a connection log entry (not a JSON object)' };
  const context = buildContext(parseConnection(event), new Date(0), timeZone, '');
  return {
    ok: true,
    from: 'connect event',
    groupsKnown: true,
    subject: { kind: 'connect', endpointId: context.endpointId, groups: groups ?? context.groups, username: context.username, commonName: context.commonName },
  };
}

/** Stands for SLACK_CHANNEL when it is not set, so the report can say a route would use it. */
export const UNSET_FALLBACK_CHANNEL = '$SLACK_CHANNEL';

const shown = (value: string): string => (value === '' ? '(none)' : JSON.stringify(value));

/** The lines `routes test` prints for one decision. */
export function decisionReport(reading: Extract<SubjectReading, { ok: true }>, decision: RouteDecision, fallbackChannel: string | undefined): string[] {
  const { subject } = reading;
  const groups = reading.groupsKnown
    ? subject.groups.length > 0
      ? subject.groups.join(', ')
      : '(none)'
    : '(unknown for a log entry: a disconnect uses its connect\'s groups when the session table knows them; none assumed, try --groups)';
  const lines = [
    `${reading.from}: ${subject.kind} · user ${shown(subject.username)} · common name ${shown(subject.commonName)} · endpoint ${shown(subject.endpointId)}`,
    `groups: ${groups}`,
    decision.matched.length > 0 ? `matched: ${decision.matched.join(', ')}` : 'matched: no route (default decides)',
    `deciding route: ${decision.route} (the SNS attribute route="${decision.route}")`,
  ];
  if (decision.slack.length === 0) lines.push('slack: no post');
  for (const { channel, mention } of decision.slack) {
    const where = channel === UNSET_FALLBACK_CHANNEL ? 'SLACK_CHANNEL (not set in this shell)' : channel === fallbackChannel ? `${channel} (SLACK_CHANNEL)` : channel;
    lines.push(`slack: ${where}, ${mention ? `mention ${mention}` : 'no mention'}`);
  }
  lines.push(`email: ${decision.email ? 'yes (one SNS message)' : 'no'}`);
  return lines;
}

function describeDelivery(delivery: Delivery): string {
  const slack = delivery.slack === false ? 'no Slack' : `Slack to ${delivery.slack.channel ?? 'SLACK_CHANNEL'}${delivery.slack.mention ? ` with ${delivery.slack.mention}` : ''}`;
  const email = typeof delivery.email === 'boolean' ? (delivery.email ? 'email' : 'no email') : `email for ${delivery.email.events.join(', ')}`;
  return `${slack}, ${email}`;
}

/** One line per route and the default: what it delivers. */
export function documentSummary(doc: RoutesDocument): string[] {
  return [
    ...doc.routes.map((route) => `  ${route.name}: ${describeDelivery(route)}${route.continue ? ', then continue' : ''}`),
    `  default: ${describeDelivery(doc.default)}`,
  ];
}

/** Routes after one that matches everything and does not continue: they can never match. */
export function unreachableRoutes(doc: RoutesDocument): string[] {
  const catchAll = doc.routes.findIndex((route) => Object.keys(route.when).length === 0 && !route.continue);
  if (catchAll < 0) return [];
  const after = doc.routes.slice(catchAll + 1).map((route) => route.name);
  const decider = doc.routes[catchAll]?.name ?? '';
  return [
    ...after.map((name) => `route "${name}" is never tried: route "${decider}" before it matches everything and does not continue`),
    `the default is never used: route "${decider}" matches everything and does not continue`,
  ];
}

/** Whether two stored texts hold the same JSON (formatting aside). */
export function sameDocument(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** The text shown in a diff: pretty JSON when it parses, else as stored. */
export function prettyDocument(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Why Parameter Store cannot hold `text` in a String parameter, if it cannot. */
export function sizeProblem(text: string): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > PARAMETER_TIER_MAX_BYTES.Advanced ? `${bytes} bytes: Parameter Store holds at most ${PARAMETER_TIER_MAX_BYTES.Advanced}` : undefined;
}
