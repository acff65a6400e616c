/**
 * The template names the CLI works on, and `--kind`, which picks them. A name is the
 * parameter's name below the template path and, with `.hbs`, the file's path below `--dir`:
 * `slack`, `slack-blocks`, `disconnect/slack`, … (the layout of the repo's templates/ folder).
 */
import { ALL_TEMPLATE_PARTS, EVENT_KINDS, templateKey, type AnyTemplatePart, type EventKind } from '../base/contract.ts';
import { UsageError, type OptionValues } from './io.ts';

export type KindChoice = EventKind | 'all';

export interface TemplateKey {
  readonly key: string;
  readonly kind: EventKind;
  readonly part: AnyTemplatePart;
}

const BY_KEY: ReadonlyMap<string, TemplateKey> = new Map(
  EVENT_KINDS.flatMap((kind) => ALL_TEMPLATE_PARTS.map((part): [string, TemplateKey] => [templateKey(kind, part), { key: templateKey(kind, part), kind, part }])),
);

/** The kind and part a template name stands for; undefined for a name that is none of ours. */
export function parseTemplateKey(key: string): TemplateKey | undefined {
  return BY_KEY.get(key);
}

/** The names `--kind` covers, in the order they are read: each kind's slack, email-subject, email-body, slack-blocks. */
export function keysOf(kind: KindChoice): string[] {
  return [...BY_KEY.values()].filter((entry) => kind === 'all' || entry.kind === kind).map((entry) => entry.key);
}

export const KIND_CHOICES: readonly KindChoice[] = [...EVENT_KINDS, 'all'];

/** `--kind`, or `fallback` when it is not given; anything else is a usage error. */
export function kindOption(values: OptionValues, fallback: KindChoice, allowed: readonly KindChoice[] = KIND_CHOICES): KindChoice {
  const value = values.kind;
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as KindChoice;
  throw new UsageError(`--kind must be ${allowed.join(', ')}`);
}

/** The file of a template name below the template directory. */
export function fileOf(key: string): string {
  return `${key}.hbs`;
}
