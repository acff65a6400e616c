import { TEMPLATE_PARTS, templateKey, type AnyTemplatePart } from '../base/contract.ts';
import type { Channel, ChannelRegistry, Destination, MessageMeta, RenderedParts } from '../channels/channel.ts';
import { renderSlackBlocks } from '../render/blocks.ts';
import { compilesFirst, renderPart, type RenderedTemplate, type StoredTemplates } from '../render/render.ts';
import type { Notification } from './notification.ts';

/** One delivery to make: the destination, its channel, and the channel's own request. */
export interface PlannedDelivery {
  readonly destination: Destination;
  readonly channel: Channel;
  readonly payload: unknown;
}

/** Where each template came from (`stored` or `default`), and why a stored one was not used. */
export type TemplateUse = Readonly<Record<string, { readonly from: RenderedTemplate['from']; readonly fallbackReason?: string }>>;

export interface RenderStepResult {
  readonly planned: readonly PlannedDelivery[];
  readonly templates: TemplateUse;
  /** Block Kit text fields cut to Slack's limits, by path (for the log line). */
  readonly blocksCut: readonly string[];
}

/** Extra message fields per destination (a thread to reply in, a message to update, context to add). */
export type MetaFor = (destination: Destination) => Partial<MessageMeta> & { readonly context?: object };

const REQUIRED = new Set<AnyTemplatePart>(TEMPLATE_PARTS);

/** One turn of the event loop: timers that are due (the deadline's) run before the next template. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Renders, for each destination, the templates its channel is made of (with the destination's
 * mention in the context), and lets the channel turn them into its request. No I/O; it yields
 * to the event loop before each template it has to compile, so a slow first compile (a cold,
 * CPU-starved instance) can never hold the answer past the deadline. A compiled template renders
 * in well under a millisecond: a warm invocation takes no turn of the event loop for it (four
 * turns were ~0.06 ms, median, before its deliveries could leave).
 */
export async function renderDeliveries(
  notification: Notification,
  destinations: readonly Destination[],
  channels: ChannelRegistry,
  stored: StoredTemplates,
  timeZone: string,
  metaFor: MetaFor = () => ({}),
): Promise<RenderStepResult> {
  const templates: Record<string, { from: RenderedTemplate['from']; fallbackReason?: string }> = {};
  const blocksCut = new Set<string>();
  const planned: PlannedDelivery[] = [];
  for (const destination of destinations) {
    const channel = channels[destination.channel];
    const { context: extraContext, ...extraMeta } = metaFor(destination);
    const context = { ...notification.context, ...extraContext, mention: destination.mention };
    const rendered: Partial<Record<AnyTemplatePart, string>> = {};
    let blocks: readonly unknown[] | undefined;
    for (const part of channel.parts) {
      if (compilesFirst(notification.kind, part, stored)) await nextTurn();
      const key = templateKey(notification.kind, part);
      if (REQUIRED.has(part)) {
        const result = renderPart(notification.kind, part, stored, context, timeZone);
        rendered[part] = result.text;
        templates[key] = result.fallbackReason ? { from: result.from, fallbackReason: result.fallbackReason } : { from: result.from };
      } else if (part === 'slack-blocks') {
        // Block Kit beside the text: a rendering that is not valid blocks falls back to the default's.
        const result = renderSlackBlocks(notification.kind, stored[key], context, timeZone);
        blocks = result.blocks;
        for (const path of result.cut) blocksCut.add(path);
        templates[key] = result.fallbackReason ? { from: result.from, fallbackReason: result.fallbackReason } : { from: result.from };
      }
    }
    const meta: MessageMeta = { kind: notification.kind, endpointId: notification.endpointId, ...extraMeta, ...(blocks ? { blocks } : {}) };
    planned.push({ destination, channel, payload: channel.toPayload(rendered as RenderedParts, destination, meta) });
  }
  return { planned, templates, blocksCut: [...blocksCut] };
}
