/**
 * The benchmark's baseline: the product's own modules wired the naive way, one step after
 * another (read templates, then the token, then Slack, then email) and with no reads during
 * init. Not shipped; it exists to show what the concurrent design gains, in the same run.
 */
import { parseConfig } from '../src/base/config.ts';
import { parseConnection } from '../src/base/connection.ts';
import { allowResponse } from '../src/handler/response.ts';
import { createConnectWiring } from '../src/handler/wiring.ts';
import { loadTemplateEngine } from '../src/render/compile.ts';
import { buildContext } from '../src/render/context.ts';
import { renderNotification } from '../src/render/render.ts';

const { config } = parseConfig(process.env);
await loadTemplateEngine();
const wiring = createConnectWiring(config);

export async function handler(event: unknown) {
  const signal = AbortSignal.timeout(config.notifyBudgetMs);
  const connection = parseConnection(event);
  const stored = await wiring.settings.get(config.notifyBudgetMs, signal);
  await wiring.channels.token?.get(config.notifyBudgetMs, signal);
  const rendered = renderNotification(stored.value?.templates ?? {}, buildContext(connection, new Date(), config.timeZone, config.region), config.timeZone);
  const delivery = { signal, readBy: Date.now() + config.notifyBudgetMs };
  await wiring.channels.slack.deliver({ channel: config.slackChannel ?? '', text: rendered.slack.text }, delivery);
  await wiring.channels.email.deliver(
    { topicArn: config.snsTopicArn ?? '', subject: rendered['email-subject'].text, message: rendered['email-body'].text, endpointId: connection.endpointId },
    delivery,
  );
  return allowResponse();
}
