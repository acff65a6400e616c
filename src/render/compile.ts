import { errorMessage } from '../base/errors.ts';
import type Handlebars from 'handlebars';
import { COMPILE_TARGETS, type AnyTemplatePart, type CompileTarget } from '../base/contract.ts';
import { DEFAULT_TEMPLATES } from './default-templates.gen.ts';
import { PRECOMPILED_TEMPLATES } from './precompiled-templates.gen.ts';
import { ESCAPE_HELPERS, TEMPLATE_HELPERS, type EscapeHelper } from './helpers.ts';
import { fromStoredForm } from './stored-form.ts';

/**
 * Compiling templates for targets that are not HTML.
 *
 * Handlebars escapes `{{value}}` for HTML, which is wrong for Slack mrkdwn and for plain-text
 * email, and its escape function is global to the library. So before compiling, each
 * double-stash `{{expr}}` is rewritten in the source text to `{{__slack (expr)}}` (or
 * `__plain`, or `__blocks` for Block Kit JSON), and the result is compiled with `noEscape`: `{{{expr}}}` stays raw, as operators
 * expect. Only strings are ever passed to `compile`, and prototype access stays disabled.
 */
let engine: typeof Handlebars | undefined;

/**
 * Loads Handlebars on first need rather than at import: a cold start then loads it while the
 * prefetched reads are in flight, and importing the bundle stays about 10 ms lighter.
 * Every entry point awaits this before rendering; afterwards it costs nothing.
 */
export async function loadTemplateEngine(): Promise<void> {
  if (engine) return;
  const { default: handlebars } = await import('handlebars');
  const created = handlebars.create();
  for (const [name, helper] of Object.entries({ ...TEMPLATE_HELPERS, ...ESCAPE_HELPERS })) {
    created.registerHelper(name, helper as Handlebars.HelperDelegate);
  }
  // {{log}} would let a template write arbitrary lines into the function's logs.
  created.unregisterHelper('log');
  engine ??= created;
}

function hbs(): typeof Handlebars {
  if (!engine) throw new Error('the template engine is not loaded yet (await loadTemplateEngine() first)');
  return engine;
}

const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(
  [...Object.keys(TEMPLATE_HELPERS), ...Object.keys(ESCAPE_HELPERS)].map((name) => [name, true]),
);

export type Target = CompileTarget;

const ESCAPE_HELPER_OF: Readonly<Record<Target, EscapeHelper>> = { slack: '__slack', plain: '__plain', blocks: '__blocks' };
export type CompiledTemplate = (context: object, data: { timeZone: string }) => string;

/** A template that does not parse or names an unknown helper; the message says where. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Handlebars' own helpers that stay available to templates. */
const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup']);

interface Located {
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Node extends Located {
  type: string;
  path?: { type: string; original?: unknown; parts?: string[] };
  escaped?: boolean;
  params?: unknown[];
  hash?: unknown;
  body?: Node[];
  program?: Node;
  inverse?: Node;
}

function collectEscapedMustaches(node: Node | undefined, found: Node[]): void {
  if (!node) return;
  if (node.type === 'MustacheStatement' && node.escaped) found.push(node);
  for (const child of node.body ?? []) collectEscapedMustaches(child, found);
  collectEscapedMustaches(node.program, found);
  collectEscapedMustaches(node.inverse, found);
}

export interface UnknownHelper {
  readonly name: string;
  /** 1-based line and column in the template as written. */
  readonly line: number;
  readonly column: number;
}

/** Helper calls (with arguments, or in parentheses) whose helper does not exist. */
export function findUnknownHelpers(source: string): UnknownHelper[] {
  const found: UnknownHelper[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    const node = value as Node;
    const isCall = node.type === 'SubExpression' || ((node.type === 'MustacheStatement' || node.type === 'BlockStatement') && ((node.params?.length ?? 0) > 0 || node.hash !== undefined));
    if (isCall && node.path?.type === 'PathExpression' && typeof node.path.original === 'string') {
      const name = node.path.original;
      if (!BUILT_IN_HELPERS.has(name) && !(name in TEMPLATE_HELPERS)) {
        found.push({ name, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 });
      }
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'loc' && key !== 'path') visit(child);
  };
  visit(hbs().parse(source));
  return found;
}

function lineOffsets(source: string): number[] {
  const offsets = [0];
  for (let i = 0; i < source.length; i += 1) if (source[i] === '\n') offsets.push(i + 1);
  return offsets;
}

/** Rewrites every escaped `{{expr}}` of `source` into a call of the target's escape helper. */
export function rewriteEscapes(source: string, helper: EscapeHelper): string {
  let ast: Node;
  try {
    ast = hbs().parse(source) as unknown as Node;
  } catch (error) {
    throw new TemplateError(oneLine(error));
  }
  const mustaches: Node[] = [];
  collectEscapedMustaches(ast, mustaches);
  const lines = lineOffsets(source);
  const at = (pos: { line: number; column: number }): number => (lines[pos.line - 1] ?? 0) + pos.column;

  let out = source;
  // Right to left, so earlier offsets stay valid.
  for (const node of mustaches.reverse()) {
    if (!node.loc) continue;
    const start = at(node.loc.start);
    const end = at(node.loc.end);
    const text = source.slice(start, end);
    const match = /^\{\{(~?)([\s\S]*?)(~?)\}\}$/.exec(text);
    if (!match) continue;
    const [, openStrip, inner = '', closeStrip] = match;
    const isCall = (node.params?.length ?? 0) > 0 || node.hash !== undefined;
    const expression = isCall ? `(${inner.trim()})` : inner.trim();
    out = `${out.slice(0, start)}{{${openStrip}${helper} ${expression}${closeStrip}}}${out.slice(end)}`;
  }
  return out;
}

function oneLine(error: unknown): string {
  const message = errorMessage(error);
  return message.replace(/\s*\n\s*/g, ' | ').slice(0, 500);
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 64;

const COMPILE_OPTIONS = { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true } as const;

/** The template rewritten for its target, refused when it names an unknown helper. */
function prepared(source: string, target: Target): string {
  const rewritten = rewriteEscapes(source, ESCAPE_HELPER_OF[target]);
  const [unknown] = findUnknownHelpers(source);
  if (unknown) throw new TemplateError(`unknown helper "${unknown.name}" at line ${unknown.line}, column ${unknown.column}`);
  return rewritten;
}

/**
 * The JavaScript Handlebars would compile `source` to, as text (build time: the bundled defaults
 * ship precompiled, so a cold start does not parse them three times over).
 */
export function precompileTemplate(source: string, target: Target): string {
  try {
    return hbs().precompile(prepared(source, target), COMPILE_OPTIONS) as string;
  } catch (error) {
    throw new TemplateError(oneLine(error));
  }
}

/** Compiles once per (target, source); throws TemplateError for syntax errors and unknown helpers. */
export function compileTemplate(source: string, target: Target): CompiledTemplate {
  const key = `${target}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;

  let template: HandlebarsTemplateDelegate;
  const spec = precompiledSpec(key);
  if (spec) {
    // A bundled default: compiled when the bundle was built (and tested then).
    template = hbs().template(spec as never) as HandlebarsTemplateDelegate;
  } else {
    const rewritten = prepared(source, target);
    try {
      template = hbs().compile(rewritten, COMPILE_OPTIONS);
      // Handlebars compiles lazily: run it once so unknown helpers and malformed blocks surface
      // here. Only Handlebars' own exceptions count; a helper failing on the empty probe context
      // (say, truncate by a length read from the event) is a matter for real renders.
      try {
        template({}, { data: { timeZone: 'UTC' } });
      } catch (error) {
        if (error instanceof hbs().Exception) throw error;
      }
    } catch (error) {
      throw new TemplateError(oneLine(error));
    }
  }
  const compiled: CompiledTemplate = (context, data) => template(context, { data });
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

/**
 * Compiled templates by their stored-form source, per target. Every render of a warm instance
 * starts from the same source strings (the bundled defaults, the cached settings), so this skips
 * converting the stored form and building the (target, source) key each time: for the 3 KB
 * Block Kit default, that was most of a warm render's cost.
 */
const byStoredSource: Readonly<Record<Target, Map<string, CompiledTemplate>>> = { slack: new Map(), plain: new Map(), blocks: new Map() };

/** `compileTemplate` of a template as stored (`{% %}`, or plain Handlebars); throws as it does. */
export function compileStoredTemplate(stored: string, target: Target): CompiledTemplate {
  const compiled = byStoredSource[target];
  const hit = compiled.get(stored);
  if (hit) return hit;
  const template = compileTemplate(fromStoredForm(stored), target);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  compiled.set(stored, template);
  return template;
}

/** Whether rendering `stored` for `target` will run an already compiled template (no compile to wait for). */
export function isCompiled(stored: string, target: Target): boolean {
  return byStoredSource[target].has(stored);
}

let precompiledByKey: Map<string, unknown> | undefined;

/** The build-time compilation of a bundled default, by (target, source). */
function precompiledSpec(key: string): unknown {
  if (!precompiledByKey) {
    precompiledByKey = new Map();
    for (const [name, spec] of Object.entries(PRECOMPILED_TEMPLATES)) {
      const source = DEFAULT_TEMPLATES[name];
      const part = name.split('/').pop() as AnyTemplatePart;
      if (source !== undefined && part in COMPILE_TARGETS) precompiledByKey.set(`${COMPILE_TARGETS[part]}\u0000${source}`, spec);
    }
  }
  return precompiledByKey.get(key);
}
