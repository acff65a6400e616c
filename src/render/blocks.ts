import { errorMessage } from '../base/errors.ts';
import { SLACK_BLOCK_LIMITS as LIMITS, templateKey, type EventKind } from '../base/contract.ts';
import { compileStoredTemplate } from './compile.ts';
import { DEFAULT_TEMPLATES } from './default-templates.gen.ts';

/**
 * Block Kit messages (contract section 14): a `slack-blocks` template renders a JSON array of
 * blocks, sent beside the `text` fallback. Values inserted with `{{…}}` are escaped for mrkdwn
 * and for a JSON string (compile target `blocks`), so an event field can neither end a string
 * nor add a block; what is left to check is the operator's own JSON and Slack's limits.
 */

/** One Block Kit block: an object with a string `type`; the rest is Slack's business. */
export type Block = { readonly type: string } & Readonly<Record<string, unknown>>;

export type FinishedBlocks =
  | {
      readonly ok: true;
      readonly blocks: Block[];
      /** Paths of the text fields and lists cut to Slack's limits (`blocks[0].text.text`), for the log. */
      readonly cut: string[];
    }
  | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * At most `max` characters (code points), the last one `…` when cut, never ending inside the
 * `&amp;` / `&lt;` / `&gt;` an escaped value carries.
 */
export function cutToLimit(text: string, max: number, ellipsis = true): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  if (!ellipsis) return points.slice(0, max).join('');
  return `${points.slice(0, max - 1).join('').replace(/&[a-z]{0,3}$/, '')}…`;
}

class Cutter {
  readonly cut: string[] = [];

  /** Cuts `holder[key]` when it is a string longer than `max`. */
  string(holder: unknown, key: string, max: number, path: string, ellipsis = true): void {
    if (!isObject(holder) || typeof holder[key] !== 'string') return;
    const before = holder[key];
    const after = cutToLimit(before, max, ellipsis);
    if (after !== before) {
      holder[key] = after;
      this.cut.push(`${path}.${key}`);
    }
  }

  /** Cuts the `text` of a text object (`{type, text}`) held at `holder[key]`. */
  textObject(holder: unknown, key: string, max: number, path: string): void {
    if (isObject(holder)) this.string(holder[key], 'text', max, `${path}.${key}`);
  }

  /** Keeps at most `max` items of the list at `holder[key]`; returns the list (or []). */
  list(holder: Json, key: string, max: number, path: string): unknown[] {
    const value = holder[key];
    if (!Array.isArray(value)) return [];
    if (value.length > max) {
      holder[key] = value.slice(0, max);
      this.cut.push(`${path}.${key}`);
    }
    return holder[key] as unknown[];
  }

  button(element: unknown, path: string): void {
    if (!isObject(element) || element.type !== 'button') return;
    this.textObject(element, 'text', LIMITS.buttonText, path);
    // The value is data for the action handler: cut plainly, no `…` appended.
    this.string(element, 'value', LIMITS.buttonValue, path, false);
    const confirm = element.confirm;
    if (isObject(confirm)) {
      const at = `${path}.confirm`;
      this.textObject(confirm, 'title', LIMITS.confirmTitle, at);
      this.textObject(confirm, 'text', LIMITS.confirmText, at);
      this.textObject(confirm, 'confirm', LIMITS.confirmButton, at);
      this.textObject(confirm, 'deny', LIMITS.confirmButton, at);
    }
  }

  block(block: Json, path: string): void {
    switch (block.type) {
      case 'header':
        this.textObject(block, 'text', LIMITS.headerText, path);
        break;
      case 'section': {
        this.textObject(block, 'text', LIMITS.sectionText, path);
        const fields = this.list(block, 'fields', LIMITS.sectionFields, path);
        fields.forEach((field, i) => this.string(field, 'text', LIMITS.sectionFieldText, `${path}.fields[${i}]`));
        this.button(block.accessory, `${path}.accessory`);
        break;
      }
      case 'context': {
        const elements = this.list(block, 'elements', LIMITS.contextElements, path);
        elements.forEach((element, i) => this.string(element, 'text', LIMITS.contextElementText, `${path}.elements[${i}]`));
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        elements.forEach((element, i) => this.button(element, `${path}.elements[${i}]`));
        break;
      }
      default:
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks a rendered blocks template: a JSON array of 1 to 50 objects, each with a string `type`.
 * Then cuts the text fields Slack limits, so a long value never makes Slack refuse the message.
 */
export function finishBlocks(renderedText: string): FinishedBlocks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(renderedText);
  } catch (error) {
    return { ok: false, reason: `the blocks template did not render JSON (${errorMessage(error)})` };
  }
  if (!Array.isArray(parsed)) return { ok: false, reason: `the blocks template rendered ${describe(parsed)}, not a list of blocks` };
  if (parsed.length < 1 || parsed.length > LIMITS.blocks) {
    return { ok: false, reason: `the blocks template rendered ${parsed.length} blocks; Slack takes 1 to ${LIMITS.blocks}` };
  }
  const bad = parsed.findIndex((block) => !isObject(block) || typeof block.type !== 'string' || block.type === '');
  if (bad >= 0) return { ok: false, reason: `block ${bad} is not an object with a string "type"` };

  const cutter = new Cutter();
  (parsed as Json[]).forEach((block, i) => cutter.block(block, `blocks[${i}]`));
  return { ok: true, blocks: parsed as Block[], cut: cutter.cut };
}

/**
 * Compiles (stored form or plain Handlebars), renders and finishes one blocks template.
 * Never throws: a template that does not compile or render is `ok: false` with the reason.
 */
export function renderBlocks(source: string, context: object, timeZone: string): FinishedBlocks {
  let text: string;
  try {
    text = compileStoredTemplate(source, 'blocks')(context, { timeZone });
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
  return finishBlocks(text);
}

export interface RenderedBlocks {
  /** Absent only if the bundled default failed too (a bug the default-template tests catch): send the text alone. */
  readonly blocks?: Block[];
  readonly from: 'stored' | 'default';
  /** Why the stored template was not used; for the log line. */
  readonly fallbackReason?: string;
  /** Fields cut to Slack's limits, for the log line. */
  readonly cut: string[];
}

/**
 * The blocks of a notification of `kind`: the stored `slack-blocks` template when there is one
 * and it renders valid blocks, else the bundled default. Never throws.
 */
export function renderSlackBlocks(kind: EventKind, stored: string | undefined, context: object, timeZone: string): RenderedBlocks {
  let fallbackReason: string | undefined;
  if (stored !== undefined) {
    const rendered = renderBlocks(stored, context, timeZone);
    if (rendered.ok) return { blocks: rendered.blocks, from: 'stored', cut: rendered.cut };
    fallbackReason = rendered.reason;
  }
  const key = templateKey(kind, 'slack-blocks');
  const source = DEFAULT_TEMPLATES[key];
  const rendered: FinishedBlocks = source === undefined ? { ok: false, reason: `no bundled default template "${key}"` } : renderBlocks(source, context, timeZone);
  const because = fallbackReason === undefined ? {} : { fallbackReason };
  if (rendered.ok) return { blocks: rendered.blocks, from: 'default', cut: rendered.cut, ...because };
  const reason = `the bundled default blocks failed too: ${rendered.reason}`;
  return { from: 'default', cut: [], fallbackReason: fallbackReason === undefined ? reason : `${fallbackReason}; ${reason}` };
}
