import { findUnknownHelpers, TemplateError } from '../render/compile.ts';
import { buildContext } from '../render/context.ts';
import { renderTemplate, SUBJECT_MAX_CHARS } from '../render/render.ts';
import { fromStoredForm, storedFormProblem, toStoredForm } from '../render/stored-form.ts';
import { singleLine } from '../base/text.ts';
import { parseConnection } from '../base/connection.ts';
import type { TemplateName } from '../sources/templates.ts';
import { liveMentionWarning } from './live-mentions.ts';
import { SAMPLE_EVENTS } from './samples.ts';

/** Parameter Store's limits on a String parameter value. */
import { PARAMETER_TIER_MAX_BYTES } from '../base/contract.ts';

export const STANDARD_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Standard;
export const ADVANCED_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Advanced;

export interface Finding {
  readonly template: TemplateName;
  /** `error`: it would not be used (the bundled default would go out) or cannot be stored. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export function tierFor(storedValue: string): 'Standard' | 'Advanced' {
  return Buffer.byteLength(storedValue, 'utf8') > STANDARD_TIER_MAX_BYTES ? 'Advanced' : 'Standard';
}

function syntaxMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = /line (\d+)/.exec(text)?.[1];
  const expecting = /Expecting (.*?), got '?([^']*)'?$/m.exec(text);
  const got = expecting ? `; unexpected ${expecting[2]}` : '';
  return `syntax error${line ? ` at line ${line}` : ''}${got}: ${text.split('\n').slice(1, 3).join(' ').trim()}`;
}

/**
 * Everything that can be wrong with one template, as a .hbs file (plain Handlebars) or as
 * stored in Parameter Store (`form: 'stored'`, `{% %}`):
 * syntax, unknown helpers, renders that fail or come out empty on the sample events, a subject
 * that gets cut, a stored value too large for Parameter Store, and a Slack template that lets
 * event text through as a live mention.
 */
export function validateTemplate(name: TemplateName, source: string, timeZone = 'UTC', form: 'handlebars' | 'stored' = 'handlebars'): Finding[] {
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], message: string): void => {
    findings.push({ template: name, severity, message });
  };
  const handlebars = form === 'stored' ? fromStoredForm(source) : source;

  let unknown;
  try {
    unknown = findUnknownHelpers(handlebars);
  } catch (error) {
    add('error', syntaxMessage(error));
    return findings;
  }
  for (const helper of unknown) add('error', `unknown helper "${helper.name}" at line ${helper.line}, column ${helper.column}`);
  if (unknown.length > 0) return findings;

  // A .hbs file is only worth pushing if Parameter Store gives it back exactly as written; a
  // value read from Parameter Store is already what the handler reads.
  const problem = form === 'handlebars' ? storedFormProblem(handlebars) : undefined;
  if (problem !== undefined) {
    add('error', problem);
    return findings;
  }
  // What the handler reads: rendering goes through the stored form, exactly as in Lambda.
  const stored = form === 'stored' ? source : toStoredForm(handlebars);
  const bytes = Buffer.byteLength(stored, 'utf8');
  if (bytes > ADVANCED_TIER_MAX_BYTES) add('error', `${bytes} bytes in stored form: Parameter Store holds at most ${ADVANCED_TIER_MAX_BYTES}`);
  else if (bytes > STANDARD_TIER_MAX_BYTES) add('warning', `${bytes} bytes in stored form: needs the Advanced tier (over ${STANDARD_TIER_MAX_BYTES}), which costs money; push sets it`);

  const instant = new Date('2026-01-02T03:04:05Z');
  for (const [sample, event] of Object.entries(SAMPLE_EVENTS)) {
    const context = buildContext(parseConnection(event), instant, timeZone, 'us-east-1');
    try {
      const text = renderTemplate(name, stored, context, timeZone);
      if (name === 'email-subject') {
        const full = renderTemplate('email-body', stored, context, timeZone);
        const length = Array.from(singleLine(full).replace(/\s+/g, ' ').trim()).length;
        if (length > SUBJECT_MAX_CHARS) add('warning', `subject is ${length} characters for the "${sample}" event and is cut to ${SUBJECT_MAX_CHARS}: ${JSON.stringify(text)}`);
      }
    } catch (error) {
      if (error instanceof TemplateError) {
        add('error', syntaxMessage(error).replace(/^syntax error/, 'does not compile'));
        return findings;
      }
      const message = (error as Error).message;
      if (/empty text/.test(message)) add('warning', `renders empty for the "${sample}" event, so the bundled default goes out instead`);
      else add('error', `fails to render the "${sample}" event (${message}), so the bundled default goes out instead`);
    }
  }
  if (name === 'slack') {
    const live = liveMentionWarning(handlebars, stored, timeZone);
    if (live !== undefined) add('warning', live);
  }
  return dedupe(findings);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.severity}\u0000${finding.message.replace(/for the "[^"]+" event/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
