import { errorMessage } from '../base/errors.ts';
import { PARAMETER_TIER_MAX_BYTES, type EventKind } from '../base/contract.ts';
import { singleLine } from '../base/text.ts';
import { renderBlocks } from '../render/blocks.ts';
import { blockLimitViolations, sampleBlocksContexts, type SampleContext } from '../render/blocks-check.ts';
import { findUnknownHelpers, TemplateError } from '../render/compile.ts';
import { renderTemplate, SUBJECT_MAX_CHARS } from '../render/render.ts';
import { fromStoredForm, storedFormProblem, toStoredForm } from '../render/stored-form.ts';
import { liveMentionWarning, rawEventMustaches } from './live-mentions.ts';
import { templateSamples } from './samples.ts';
import { parseTemplateKey } from './template-keys.ts';

/** Parameter Store's limits on a String parameter value. */
export const STANDARD_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Standard;
export const ADVANCED_TIER_MAX_BYTES = PARAMETER_TIER_MAX_BYTES.Advanced;

export interface Finding {
  /** The template name (`slack`, `disconnect/slack-blocks`, …) or the file the finding is about. */
  readonly template: string;
  /** `error`: it would not be used (the bundled default would go out) or cannot be stored. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export function tierFor(storedValue: string): 'Standard' | 'Advanced' {
  return Buffer.byteLength(storedValue, 'utf8') > STANDARD_TIER_MAX_BYTES ? 'Advanced' : 'Standard';
}

function syntaxMessage(error: unknown): string {
  const text = errorMessage(error);
  const line = /line (\d+)/.exec(text)?.[1];
  const expecting = /Expecting (.*?), got '?([^']*)'?$/m.exec(text);
  const got = expecting ? `; unexpected ${expecting[2]}` : '';
  return `syntax error${line ? ` at line ${line}` : ''}${got}: ${text.split('\n').slice(1, 3).join(' ').trim()}`;
}

/** Whether `}}` appears where no mustache is open: compact JSON's nested objects (`{"a":{"b":1}}`). */
function closingBracesOutsideMustaches(handlebars: string): boolean {
  return handlebars.replace(/\{\{\{?[\s\S]*?\}?\}\}/g, '').includes('}}');
}

type Add = (severity: Finding['severity'], message: string) => void;

/** The text templates (slack, email-subject, email-body) against the samples of their kind. */
function checkText(kind: EventKind, part: 'slack' | 'email-subject' | 'email-body', handlebars: string, stored: string, timeZone: string, add: Add): void {
  for (const { name: sample, context } of templateSamples(kind, timeZone)) {
    try {
      const text = renderTemplate(part, stored, context, timeZone);
      if (part === 'email-subject') {
        const full = renderTemplate('email-body', stored, context, timeZone);
        const length = Array.from(singleLine(full).replace(/\s+/g, ' ').trim()).length;
        if (length > SUBJECT_MAX_CHARS) add('warning', `subject is ${length} characters for the "${sample}" event and is cut to ${SUBJECT_MAX_CHARS}: ${JSON.stringify(text)}`);
      }
    } catch (error) {
      if (error instanceof TemplateError) {
        add('error', syntaxMessage(error).replace(/^syntax error/, 'does not compile'));
        return;
      }
      const message = (error as Error).message;
      if (/empty text/.test(message)) add('warning', `renders empty for the "${sample}" event, so the bundled default goes out instead`);
      else add('error', `fails to render the "${sample}" event (${message}), so the bundled default goes out instead`);
    }
  }
  if (part === 'slack') {
    const live = liveMentionWarning(handlebars, stored, timeZone, kind);
    if (live !== undefined) add('warning', live);
  }
}

/** Contexts for a blocks template: the hostile contexts of blocks-check, then real entry and event shapes. */
function blocksSamples(kind: EventKind, timeZone: string): SampleContext[] {
  const shaped = templateSamples(kind, timeZone).map((sample) => ({ name: `${sample.name} (sample ${kind === 'connect' ? 'event' : 'log entry'})`, context: sample.context as Record<string, unknown> }));
  return [...sampleBlocksContexts(kind), ...shaped];
}

/** Problems found for several samples, once each with the samples; JSON positions do not split a group. */
function grouped(problems: readonly { sample: string; problem: string }[]): { problem: string; samples: string[] }[] {
  const groups = new Map<string, { problem: string; samples: string[] }>();
  for (const { sample, problem } of problems) {
    const key = problem.replace(/ (at )?position \d+( \(line \d+ column \d+\))?/g, '');
    const group = groups.get(key);
    if (group) group.samples.push(sample);
    else groups.set(key, { problem, samples: [sample] });
  }
  return [...groups.values()];
}

const quoteList = (names: readonly string[]): string => {
  const shown = names.slice(0, 3).map((name) => `"${name}"`).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
};

/**
 * A blocks template (section 14): renders, parses and stays within Slack's limits on every
 * sample; event text inserted raw (`{{{username}}}`) is named by line and column, since no
 * rendering can prove it harmless.
 */
function checkBlocks(kind: EventKind, handlebars: string, stored: string, timeZone: string, add: Add): void {
  const failed: { sample: string; problem: string }[] = [];
  const refused: { sample: string; problem: string }[] = [];
  for (const sample of blocksSamples(kind, timeZone)) {
    const rendered = renderBlocks(stored, sample.context, timeZone);
    if (!rendered.ok) failed.push({ sample: sample.name, problem: rendered.reason });
    else for (const violation of blockLimitViolations(rendered.blocks)) refused.push({ sample: sample.name, problem: violation });
  }
  const plural = (samples: readonly string[]): string => `for the ${quoteList(samples)} sample${samples.length > 1 ? 's' : ''}`;
  for (const { problem, samples } of grouped(failed)) add('error', `${problem} (${plural(samples)}), so the bundled default blocks go out instead`);
  for (const { problem, samples } of grouped(refused)) add('error', `${problem} (${plural(samples)}): Slack refuses such blocks`);
  const raw = rawEventMustaches(handlebars);
  if (raw.length > 0) {
    add(
      'warning',
      `event text inserted raw at ${raw.join('; ')}: {{{value}}} is escaped neither for JSON nor for mrkdwn, so a quote in a username breaks the blocks (the default blocks go out) or adds blocks of its own, and a username like <!channel> pings the channel; use {{value}}`,
    );
  }
}

/**
 * Everything that can be wrong with one template (`key`: `slack`, `disconnect/email-body`, …),
 * as a .hbs file (plain Handlebars) or as stored in Parameter Store (`form: 'stored'`, `{% %}`):
 * syntax, unknown helpers, a stored value too large or that would not read back as written,
 * renders that fail or come out empty on the samples of its kind (connect events or connection
 * log entries, hostile ones included), a subject that gets cut, a Slack template that lets
 * event text through as a live mention, and for blocks, anything Slack would refuse.
 */
export function validateTemplate(key: string, source: string, timeZone = 'UTC', form: 'handlebars' | 'stored' = 'handlebars'): Finding[] {
  const findings: Finding[] = [];
  const add: Add = (severity, message) => {
    findings.push({ template: key, severity, message });
  };
  const parsed = parseTemplateKey(key);
  if (!parsed) {
    add('error', 'is not a template name');
    return findings;
  }
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
    add('error', parsed.part === 'slack-blocks' && closingBracesOutsideMustaches(handlebars) ? `${problem}; in a blocks template write the closing braces of nested JSON objects apart ("} }", as the bundled defaults do): "}}" reads as the end of a mustache` : problem);
    return findings;
  }
  // What the functions read: rendering goes through the stored form, exactly as in Lambda.
  const stored = form === 'stored' ? source : toStoredForm(handlebars);
  const bytes = Buffer.byteLength(stored, 'utf8');
  if (bytes > ADVANCED_TIER_MAX_BYTES) add('error', `${bytes} bytes in stored form: Parameter Store holds at most ${ADVANCED_TIER_MAX_BYTES}`);
  else if (bytes > STANDARD_TIER_MAX_BYTES) add('warning', `${bytes} bytes in stored form: needs the Advanced tier (over ${STANDARD_TIER_MAX_BYTES}), which costs money; push sets it`);

  if (parsed.part === 'slack-blocks') checkBlocks(parsed.kind, handlebars, stored, timeZone, add);
  else checkText(parsed.kind, parsed.part, handlebars, stored, timeZone, add);
  return dedupe(findings);
}

/** The same finding for several samples is reported once, saying how many more it concerns. */
function dedupe(findings: Finding[]): Finding[] {
  const first = new Map<string, { finding: Finding; more: number }>();
  for (const finding of findings) {
    const key = `${finding.severity}\u0000${finding.message.replace(/(for )?the "[^"]+" event/, '')}`;
    const seen = first.get(key);
    if (seen) seen.more += 1;
    else first.set(key, { finding, more: 0 });
  }
  return [...first.values()].map(({ finding, more }) => (more === 0 ? finding : { ...finding, message: `${finding.message} (and ${more} more sample${more > 1 ? 's' : ''})` }));
}
