import type { HelperOptions } from 'handlebars';
import { defuseMrkdwn, escapeJsonStringContent, escapeSlack, singleLine, truncateCodePoints } from '../base/text.ts';
import { formatLocalTime, toInstant } from '../base/time.ts';
import { formatBytes, formatDuration } from '../base/units.ts';

/**
 * The helpers of contract section 7. Handlebars passes an options object as the last
 * argument, so each helper strips it before looking at its own arguments.
 */
type Helper = (...args: unknown[]) => unknown;

function argsOf(args: unknown[]): { values: unknown[]; options: HelperOptions | undefined } {
  const last = args[args.length - 1];
  const isOptions = last !== null && typeof last === 'object' && 'data' in (last as object) && 'hash' in (last as object);
  return isOptions
    ? { values: args.slice(0, -1), options: last as HelperOptions }
    : { values: args, options: undefined };
}

export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toText).join(', ');
  if (typeof value === 'object') return json(value);
  return String(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

export const TEMPLATE_HELPERS: Readonly<Record<string, Helper>> = Object.freeze({
  default(...args: unknown[]) {
    const [value, fallback] = argsOf(args).values;
    return isEmpty(value) ? toText(fallback) : value;
  },
  join(...args: unknown[]) {
    const [list, separator] = argsOf(args).values;
    const sep = typeof separator === 'string' ? separator : ', ';
    return Array.isArray(list) ? list.map(toText).join(sep) : toText(list);
  },
  truncate(...args: unknown[]) {
    const [value, length] = argsOf(args).values;
    const max = Number(length);
    if (!Number.isInteger(max) || max < 1) throw new Error(`truncate needs a whole number of characters, got ${toText(length)}`);
    return truncateCodePoints(toText(value), max);
  },
  upper(...args: unknown[]) {
    return toText(argsOf(args).values[0]).toUpperCase();
  },
  lower(...args: unknown[]) {
    return toText(argsOf(args).values[0]).toLowerCase();
  },
  eq(...args: unknown[]) {
    const [a, b] = argsOf(args).values;
    return a === b;
  },
  formatDate(...args: unknown[]) {
    const { values, options } = argsOf(args);
    const [time, zoneArg] = values;
    const zone = typeof zoneArg === 'string' && zoneArg ? zoneArg : ((options?.data as { timeZone?: string })?.timeZone ?? 'UTC');
    const instant = toInstant(time);
    if (!instant) return '';
    return formatLocalTime(instant, zone);
  },
  json(...args: unknown[]) {
    return json(argsOf(args).values[0]);
  },
  // Named format*, not bytes/duration: Handlebars resolves a helper before a context field of
  // the same name, and `{{duration}}` must stay the context's field (contract section 11).
  formatBytes(...args: unknown[]) {
    return formatBytes(argsOf(args).values[0]);
  },
  formatDuration(...args: unknown[]) {
    return formatDuration(argsOf(args).values[0]);
  },
});

/** Escapers the renderer wraps around every `{{…}}` (double-stash) output, per target. */
export const ESCAPE_HELPERS = Object.freeze({
  __slack: (value: unknown) => defuseMrkdwn(escapeSlack(singleLine(toText(value)))),
  __plain: (value: unknown) => singleLine(toText(value)),
  // Block Kit templates (contract 14): mrkdwn, then the inside of a JSON string, so no value can
  // ping, link, end the string it sits in or add a block.
  __blocks: (value: unknown) => escapeJsonStringContent(defuseMrkdwn(escapeSlack(singleLine(toText(value))))),
});

export type EscapeHelper = keyof typeof ESCAPE_HELPERS;
