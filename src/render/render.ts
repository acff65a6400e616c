import { DEFAULT_TEMPLATES } from './default-templates.gen.ts';
import { compileTemplate, type Target } from './compile.ts';
import type { TemplateContext } from './context.ts';
import { fromStoredForm } from './stored-form.ts';
import { plainText, singleLine, truncateCodePoints } from '../base/text.ts';
import type { StoredTemplates, TemplateName } from '../sources/templates.ts';

export { SNS_SUBJECT_MAX_CHARS as SUBJECT_MAX_CHARS } from '../base/contract.ts';
import { SNS_SUBJECT_MAX_CHARS as SUBJECT_MAX_CHARS } from '../base/contract.ts';

export interface RenderedTemplate {
  readonly text: string;
  /** `stored` when the operator's template was used, `default` when the bundled one was. */
  readonly from: 'stored' | 'default';
  /** Why the stored template was not used (absent when it was, or when none was stored). */
  readonly fallbackReason?: string;
}

export type RenderedNotification = Readonly<Record<TemplateName, RenderedTemplate>>;

const TARGETS: Record<TemplateName, Target> = { slack: 'slack', 'email-subject': 'plain', 'email-body': 'plain' };

/** Output clean-up per template: one short line for the subject, plain text elsewhere. */
const FINISH: Record<TemplateName, (text: string) => string> = {
  slack: (text) => text.trim(),
  'email-subject': (text) => truncateCodePoints(singleLine(text).replace(/\s+/g, ' ').trim(), SUBJECT_MAX_CHARS),
  'email-body': (text) => plainText(text).trim(),
};

/** Renders one template; throws on compile or render errors and on empty output. */
export function renderTemplate(name: TemplateName, source: string, context: TemplateContext, timeZone: string): string {
  const compiled = compileTemplate(fromStoredForm(source), TARGETS[name]);
  const text = FINISH[name](compiled(context, { timeZone }));
  if (!text) throw new Error('the template rendered to empty text');
  return text;
}

/**
 * Renders the three templates, each falling back to its bundled default when the stored one
 * is missing, does not compile or fails to render. The defaults are tested never to fail.
 */
export function renderNotification(stored: StoredTemplates, context: TemplateContext, timeZone: string): RenderedNotification {
  const one = (name: TemplateName): RenderedTemplate => {
    const source = stored[name];
    if (source !== undefined) {
      try {
        return { text: renderTemplate(name, source, context, timeZone), from: 'stored' };
      } catch (error) {
        const fallbackReason = error instanceof Error ? error.message : String(error);
        return { text: renderTemplate(name, bundledDefault(name), context, timeZone), from: 'default', fallbackReason };
      }
    }
    return { text: renderTemplate(name, bundledDefault(name), context, timeZone), from: 'default' };
  };
  return { slack: one('slack'), 'email-subject': one('email-subject'), 'email-body': one('email-body') };
}

/** The bundled default of a template name; every required name has one (a unit test says so). */
export function bundledDefault(key: string): string {
  const source = DEFAULT_TEMPLATES[key];
  if (source === undefined) throw new Error(`no bundled default template "${key}"`);
  return source;
}
