/**
 * The benchmark's baseline: the product's own modules wired the naive way, one step after
 * another (read settings, then the token, then route and render, then each delivery in turn,
 * then the session write) and with no reads during init. It does the same work as the real
 * handler (routing, Block Kit, the session item when SESSION_TABLE_NAME is set), so the
 * difference in the table is the concurrency alone. Not shipped.
 */
import { parseConfig } from '../src/base/config.ts';
import { allowResponse } from '../src/handler/response.ts';
import { createConnectWiring } from '../src/handler/wiring.ts';
import { connectNotification } from '../src/pipeline/connect-notification.ts';
import { renderDeliveries } from '../src/pipeline/render-step.ts';
import { createRouter } from '../src/pipeline/route-step.ts';
import { loadTemplateEngine } from '../src/render/compile.ts';
import { sessionItemFor } from '../src/sources/sessions.ts';

const { config } = parseConfig(process.env);
await loadTemplateEngine();
const wiring = createConnectWiring(config);
const route = createRouter(config);

export async function handler(event: unknown) {
  const started = new Date();
  const signal = AbortSignal.timeout(config.notifyBudgetMs);
  const delivery = { signal, readBy: Date.now() + config.notifyBudgetMs };
  const notification = connectNotification(event, started, config);
  const stored = await wiring.settings.get(config.notifyBudgetMs, signal);
  await wiring.channels.token?.get(config.notifyBudgetMs, signal);
  const { destinations } = route(notification, stored.value);
  const { planned } = await renderDeliveries(notification, destinations, wiring.channels.registry, stored.value?.templates ?? {}, config.timeZone);
  const posts: { channel: string; ts: string }[] = [];
  for (const { channel, payload } of planned) {
    const result = await channel.deliver(payload, delivery);
    if (result.status === 'sent' && result.detail?.channel && result.detail.ts) posts.push({ channel: result.detail.channel, ts: result.detail.ts });
  }
  const item = sessionItemFor({ connectionId: notification.connectionId, endpointId: notification.endpointId, context: notification.context, posts, connectedAt: started });
  if (wiring.sessions && item) await wiring.sessions.put(item, signal);
  return allowResponse();
}
