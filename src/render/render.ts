import { errorMessage } from '../base/errors.ts';
import { DEFAULT_TEMPLATES } from './default-templates.gen.ts';
import { compileStoredTemplate, isCompiled } from './compile.ts';
import { plainText, singleLine, truncateUtf16, wellFormed } from '../base/text.ts';
import { COMPILE_TARGETS, SNS_SUBJECT_MAX_CHARS, templateKey, TEMPLATE_PARTS, type AnyTemplatePart, type EventKind, type TemplatePart } from '../base/contract.ts';

export { SNS_SUBJECT_MAX_CHARS as SUBJECT_MAX_CHARS } from '../base/contract.ts';

/** Stored template values by template name (`slack`, `disconnect/slack`, …); absent: no parameter. */
export type StoredTemplates = Readonly<Record<string, string>>;

export interface RenderedTemplate {
  readonly text: string;
  /** `stored` when the operator's template was used, `default` when the bundled one was. */
  readonly from: 'stored' | 'default';
  /** Why the stored template was not used (absent when it was, or when none was stored). */
  readonly fallbackReason?: string;
}

export type RenderedNotification = Readonly<Record<TemplatePart, RenderedTemplate>>;

/** Output clean-up per template part: one short line for the subject, plain text elsewhere. */
const FINISH: Readonly<Record<AnyTemplatePart, (text: string) => string>> = {
  // Raw insertions ({{{…}}}) bypass the escapers: the output itself is made well-formed too.
  slack: (text) => wellFormed(text).trim(),
  'email-subject': (text) => truncateUtf16(singleLine(text).replace(/\s+/g, ' ').trim(), SNS_SUBJECT_MAX_CHARS),
  'email-body': (text) => plainText(text).trim(),
  'slack-blocks': (text) => wellFormed(text).trim(),
};

/** Renders one template for a part; throws on compile or render errors and on empty output. */
export function renderTemplate(part: AnyTemplatePart, source: string, context: object, timeZone: string): string {
  const compiled = compileStoredTemplate(source, COMPILE_TARGETS[part]);
  const text = FINISH[part](compiled(context, { timeZone }));
  if (!text) throw new EmptyRenderError('the template rendered to empty text');
  return text;
}

/** A template that rendered to nothing: the bundled default goes out instead. */
export class EmptyRenderError extends Error {
  override readonly name = 'EmptyRenderError';
}

/**
 * Renders one template of a kind, falling back to its bundled default when the stored one is
 * missing, does not compile or fails to render. The defaults are tested never to fail.
 */
export function renderPart(kind: EventKind, part: AnyTemplatePart, stored: StoredTemplates, context: object, timeZone: string): RenderedTemplate {
  const key = templateKey(kind, part);
  const source = stored[key];
  if (source !== undefined) {
    try {
      return { text: renderTemplate(part, source, context, timeZone), from: 'stored' };
    } catch (error) {
      const fallbackReason = errorMessage(error);
      return { text: renderTemplate(part, bundledDefault(key), context, timeZone), from: 'default', fallbackReason };
    }
  }
  return { text: renderTemplate(part, bundledDefault(key), context, timeZone), from: 'default' };
}

/** The connect kind's three templates (the CLI's and the warm-up's view). */
export function renderNotification(stored: StoredTemplates, context: object, timeZone: string): RenderedNotification {
  const out = {} as Record<TemplatePart, RenderedTemplate>;
  for (const part of TEMPLATE_PARTS) out[part] = renderPart('connect', part, stored, context, timeZone);
  return out;
}

/**
 * Whether rendering `part` would compile a template first: the stored one, or (none stored) the
 * bundled default, not compiled yet. (A compiled stored template that fails to render falls back
 * to its default, compiled then: the defaults ship precompiled, so that is never a parse.)
 */
export function compilesFirst(kind: EventKind, part: AnyTemplatePart, stored: StoredTemplates): boolean {
  const key = templateKey(kind, part);
  const source = stored[key] ?? DEFAULT_TEMPLATES[key];
  return source === undefined || !isCompiled(source, COMPILE_TARGETS[part]);
}

/** The bundled default of a template name; every required name has one (a unit test says so). */
export function bundledDefault(key: string): string {
  const source = DEFAULT_TEMPLATES[key];
  if (source === undefined) throw new Error(`no bundled default template "${key}"`);
  return source;
}

export function hasBundledDefault(key: string): boolean {
  return DEFAULT_TEMPLATES[key] !== undefined;
}
