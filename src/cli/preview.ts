/**
 * What `templates preview` shows beside the connect handler's own run: the Block Kit blocks of
 * any kind with a Block Kit Builder link, and the whole notification of a disconnect or a
 * failed attempt, rendered with the functions' rendering code and the channels' own requests.
 * Nothing is sent.
 */
import type { Config } from '../base/config.ts';
import { parseConnection } from '../base/connection.ts';
import { DEFAULT_ROUTE_NAME, templateKey, type EventKind } from '../base/contract.ts';
import { EmailChannel, publishInput } from '../channels/email.ts';
import { SlackChannel } from '../channels/slack.ts';
import { classifyEntry, type ConnectionEventKind } from '../events/classify.ts';
import { buildEventContext } from '../events/context.ts';
import { LOG_TYPE_KEY } from '../events/entry.ts';
import { renderSlackBlocks, type RenderedBlocks } from '../render/blocks.ts';
import { buildContext } from '../render/context.ts';
import { renderPart, type StoredTemplates } from '../render/render.ts';

/** Slack's Block Kit Builder opens the blocks given after `#` (URL-encoded `{"blocks": [...]}`). */
export const BLOCK_KIT_BUILDER_URL = 'https://app.slack.com/block-kit-builder/#';

/** Browsers and Slack stop following links past about this length. */
export const BUILDER_LINK_MAX_CHARS = 8000;

export function blockKitBuilderLink(blocks: readonly unknown[]): string {
  return `${BLOCK_KIT_BUILDER_URL}${encodeURIComponent(JSON.stringify({ blocks }))}`;
}

export function isLogEntry(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, LOG_TYPE_KEY);
}

export type EntryReading = { readonly ok: true; readonly kind: ConnectionEventKind; readonly context: object } | { readonly ok: false; readonly reason: string };

/** The context connection-events would render `entry` with, or why it notifies nobody. */
export function readLogEntry(entry: unknown, config: Pick<Config, 'timeZone' | 'region'>, now: Date): EntryReading {
  const classified = classifyEntry(JSON.stringify(entry));
  if (classified.kind === 'ignored' || classified.kind === 'unparseable') return { ok: false, reason: classified.reason };
  return { ok: true, kind: classified.kind, context: { ...buildEventContext(classified.entry, classified.kind, now.getTime(), config.timeZone, config.region), mention: '' } };
}

/** The connect context of `event`, as the connect handler builds it. */
export function connectContext(event: unknown, config: Pick<Config, 'timeZone' | 'region' | 'slackActions'>, now: Date): object {
  return buildContext(parseConnection(event), now, config.timeZone, config.region, config.slackActions);
}

const indent = (text: string, by = '    '): string => text.replace(/^/gm, by);

/** The blocks section: where they came from, the JSON, and the Builder link. */
export function blocksLines(rendered: RenderedBlocks, kind: EventKind): { out: string[]; warnings: string[] } {
  const key = templateKey(kind, 'slack-blocks');
  const warnings: string[] = [];
  if (rendered.fallbackReason !== undefined) warnings.push(`${key} template not used (bundled default blocks shown instead): ${rendered.fallbackReason}`);
  if (rendered.cut.length > 0) warnings.push(`${key}: cut to Slack's limits: ${rendered.cut.join(', ')}`);
  if (!rendered.blocks) return { out: ['Blocks: none (the text alone is sent)'], warnings };
  const link = blockKitBuilderLink(rendered.blocks);
  return {
    out: [
      `Blocks (${rendered.from === 'stored' ? `${key}.hbs` : 'bundled default'}; sent beside the text, which stays the notification and screen-reader fallback):`,
      indent(JSON.stringify(rendered.blocks, null, 2)),
      `Block Kit Builder: ${link}`,
      ...(link.length > BUILDER_LINK_MAX_CHARS ? [`  (the link is ${link.length} characters long; a browser may cut it: paste the JSON above into the Builder instead)`] : []),
    ],
    warnings,
  };
}

export function renderBlocksFor(kind: EventKind, stored: StoredTemplates, context: object, timeZone: string): RenderedBlocks {
  return renderSlackBlocks(kind, stored[templateKey(kind, 'slack-blocks')], context, timeZone);
}

export interface EventPreview {
  readonly slack: string[];
  readonly blocks: RenderedBlocks;
  readonly sns: string[];
  readonly warnings: string[];
}

/**
 * A disconnect's or failed attempt's notification, as its Slack request and SNS Publish input.
 * A disconnect whose connect is known replies in its thread and updates the parent (section
 * 12): `npm start -- --kind disconnect` shows those; this is the top-level post.
 */
export function previewEvent(kind: ConnectionEventKind, context: object, stored: StoredTemplates, config: Config): EventPreview {
  const warnings: string[] = [];
  const part = (name: 'slack' | 'email-subject' | 'email-body'): string => {
    const rendered = renderPart(kind, name, stored, context, config.timeZone);
    if (rendered.fallbackReason !== undefined) warnings.push(`${templateKey(kind, name)} template not used (bundled default shown instead): ${rendered.fallbackReason}`);
    return rendered.text;
  };
  const endpointId = String((context as { endpointId?: unknown }).endpointId ?? '');
  const blocks = renderBlocksFor(kind, stored, context, config.timeZone);
  const slackChannel = new SlackChannel({ tokenSource: undefined, channel: config.slackChannel, apiUrl: config.slackApiUrl });
  const slackPayload = slackChannel.toPayload({ slack: part('slack') }, { channel: 'slack', address: config.slackChannel ?? 'C0123456789', mention: '', route: DEFAULT_ROUTE_NAME }, { kind, endpointId });
  const emailChannel = new EmailChannel({ publish: async () => undefined }, config.snsTopicArn);
  const emailPayload = emailChannel.toPayload(
    { 'email-subject': part('email-subject'), 'email-body': part('email-body') },
    { channel: 'email', address: config.snsTopicArn ?? 'arn:aws:sns:us-east-1:123456789012:clientvpn-notifier-local', mention: '', route: DEFAULT_ROUTE_NAME },
    { kind, endpointId },
  );
  const input = publishInput(emailPayload);
  return {
    slack: [`Slack: POST ${config.slackApiUrl ?? 'https://slack.com/api/'}chat.postMessage  (Authorization: Bearer ***)`, `  channel: ${slackPayload.channel}`, '  text:', indent(slackPayload.text)],
    blocks,
    sns: ['SNS: Publish', `  TopicArn: ${input.TopicArn}`, `  Subject: ${input.Subject}`, `  MessageAttributes: ${JSON.stringify(input.MessageAttributes)}`, '  Message:', indent(input.Message)],
    warnings,
  };
}
