/**
 * Issue 10 item 9: a Slack template that inserts event text raw (`{{{username}}}`) lets whoever
 * controls a username or certificate name ping the whole channel. Rendering decides (it sees
 * through helpers, `{{{json event}}}` and `{{#each}}`); the template's raw mustaches on event
 * fields are then named by line and column so the operator knows where to look.
 */
import handlebars from 'handlebars';
import type { EventKind } from '../base/contract.ts';
import { renderTemplate } from '../render/render.ts';
import { HOSTILE_CONNECT_SAMPLE, MENTIONS_SAMPLE, MENTIONS_SAMPLE_SEQUENCES, templateSamples } from './samples.ts';

/**
 * Context fields that never carry text from the connecting client: times and numbers the
 * functions compute, and `mention`, raw on purpose (section 13).
 */
const NOT_FROM_THE_EVENT = new Set([
  'time',
  'localTime',
  'region',
  'kind',
  'status',
  'mention',
  'actionsEnabled',
  'startTime',
  'endTime',
  'localStartTime',
  'localEndTime',
  'durationSeconds',
  'ingressBytes',
  'egressBytes',
  'duration',
  'handlerFault',
]);

const count = (text: string, sequence: string): number => text.toLowerCase().split(sequence.toLowerCase()).length - 1;

/**
 * The live mention or link sequences the mentions sample puts into Slack's text through this
 * template (stored form): those found more often than when the typical sample is rendered,
 * so a mention the template itself writes (`<!here>`) does not count.
 */
export function liveSequencesFromEvent(storedSlackTemplate: string, timeZone: string, kind: EventKind = 'connect'): string[] {
  const samples = templateSamples(kind, timeZone);
  const render = (sample: string): string | undefined => {
    const context = samples.find((candidate) => candidate.name === sample)?.context;
    if (context === undefined) return undefined;
    try {
      return renderTemplate('slack', storedSlackTemplate, context, timeZone);
    } catch {
      return undefined; // a template that fails to render is reported as such elsewhere
    }
  };
  // A disconnect's template can also reach its connect's fields (`{{{connect.username}}}`).
  const hostile = [MENTIONS_SAMPLE, HOSTILE_CONNECT_SAMPLE].map(render).filter((text): text is string => text !== undefined);
  if (hostile.length === 0) return [];
  const typical = render('typical') ?? '';
  return MENTIONS_SAMPLE_SEQUENCES.filter((sequence) => hostile.some((text) => count(text, sequence) > count(typical, sequence)));
}

interface AstNode {
  type?: string;
  escaped?: boolean;
  head?: unknown;
  original?: unknown;
  parts?: unknown;
  data?: boolean;
  loc?: { start: { line: number; column: number } };
}

/** The first name of every path an expression reads (`username`, `this`, `event`, …). */
function pathHeads(value: unknown, out: string[]): void {
  if (Array.isArray(value)) return value.forEach((item) => pathHeads(item, out));
  if (value === null || typeof value !== 'object') return;
  const node = value as AstNode;
  if (node.type === 'PathExpression') {
    const parts = Array.isArray(node.parts) ? (node.parts as string[]) : [];
    out.push(node.data ? `@${parts[0] ?? ''}` : (parts[0] ?? 'this'));
    return;
  }
  for (const [key, child] of Object.entries(node)) if (key !== 'loc') pathHeads(child, out);
}

/** `line L, column C` of each raw mustache (`{{{…}}}`, `{{&…}}`) that reads anything but the non-event fields. */
export function rawEventMustaches(handlebarsSource: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as AstNode & { path?: unknown; params?: unknown; hash?: unknown };
    if (node.type === 'MustacheStatement' && node.escaped === false) {
      const heads: string[] = [];
      // A helper call's own name is not data; its arguments are.
      const isCall = (Array.isArray(node.params) && node.params.length > 0) || node.hash !== undefined;
      pathHeads(isCall ? [node.params, node.hash] : node.path, heads);
      if (heads.some((head) => !NOT_FROM_THE_EVENT.has(head))) found.push(`line ${node.loc?.start.line ?? 1}, column ${(node.loc?.start.column ?? 0) + 1}`);
      return;
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'loc') visit(child);
  };
  visit(handlebars.parse(handlebarsSource));
  return found;
}

/** The warning for a Slack template that lets event text become a live mention, if it does. */
export function liveMentionWarning(handlebarsSource: string, storedSource: string, timeZone: string, kind: EventKind = 'connect'): string | undefined {
  const live = liveSequencesFromEvent(storedSource, timeZone, kind);
  if (live.length === 0) return undefined;
  const where = rawEventMustaches(handlebarsSource);
  return (
    `event text reaches Slack unescaped: the "${MENTIONS_SAMPLE}" event renders as live ${live.join(', ')}, which would notify people or link` +
    `${where.length > 0 ? ` (raw insertion at ${where.join('; ')})` : ''}; use {{value}}, which escapes, instead of {{{value}}}`
  );
}
