import { TEMPLATE_PARTS, templateKey, type AnyTemplatePart } from '../base/contract.ts';
import type { Channel, ChannelRegistry, Destination, MessageMeta, RenderedParts } from '../channels/channel.ts';
import { renderPart, type RenderedTemplate, type StoredTemplates } from '../render/render.ts';
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
}

/** Extra message fields per destination (a thread to reply in, a message to update). */
export type MetaFor = (destination: Destination) => Partial<MessageMeta>;

const REQUIRED = new Set<AnyTemplatePart>(TEMPLATE_PARTS);

/**
 * Renders, for each destination, the templates its channel is made of (with the destination's
 * mention in the context), and lets the channel turn them into its request. Pure: no I/O.
 */
export function renderDeliveries(
  notification: Notification,
  destinations: readonly Destination[],
  channels: ChannelRegistry,
  stored: StoredTemplates,
  timeZone: string,
  metaFor: MetaFor = () => ({}),
): RenderStepResult {
  const templates: Record<string, { from: RenderedTemplate['from']; fallbackReason?: string }> = {};
  const planned = destinations.map((destination): PlannedDelivery => {
    const channel = channels[destination.channel];
    const context = { ...notification.context, mention: destination.mention };
    const rendered: Partial<Record<AnyTemplatePart, string>> = {};
    for (const part of channel.parts) {
      // Optional parts (Block Kit) are rendered by their own step once it exists.
      if (!REQUIRED.has(part)) continue;
      const result = renderPart(notification.kind, part, stored, context, timeZone);
      rendered[part] = result.text;
      templates[templateKey(notification.kind, part)] = result.fallbackReason ? { from: result.from, fallbackReason: result.fallbackReason } : { from: result.from };
    }
    const meta: MessageMeta = { kind: notification.kind, endpointId: notification.endpointId, ...metaFor(destination) };
    return { destination, channel, payload: channel.toPayload(rendered as RenderedParts, destination, meta) };
  });
  return { planned, templates };
}
