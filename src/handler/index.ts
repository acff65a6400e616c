/**
 * The Lambda entry point: AWS Client VPN's client connect handler.
 *
 * Everything here runs once per instance, during init. Nothing needs credentials, network or
 * any environment variable to load; configuration problems are logged once, never thrown.
 * And nothing thrown here may become an init error: that would deny every connection.
 */
import { parseConfig } from '../base/config.ts';
import { describeError } from '../base/errors.ts';
import { jsonLog } from '../base/log.ts';
import { createConnectHandler, type ConnectHandler } from './connect.ts';
import { initFailedHandler } from './init-failed.ts';
import { warmUp } from './warm-up.ts';
import { createConnectWiring } from './wiring.ts';

async function init(): Promise<ConnectHandler> {
  const { config, warnings } = parseConfig(process.env);
  for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });

  const wiring = createConnectWiring(config);
  for (const channel of Object.values(wiring.channels.registry)) {
    if (channel.disabledReason) jsonLog({ level: 'INFO', message: `${channel.name} channel off: ${channel.disabledReason}` });
  }
  if (!wiring.retryQueue) jsonLog({ level: 'INFO', message: 'retry queue off (RETRY_QUEUE_URL is not set): failed deliveries are only logged' });

  const handler = createConnectHandler({ config, settings: wiring.settings, channels: wiring.channels.registry, retryQueue: wiring.retryQueue, sessions: wiring.sessions, log: jsonLog });

  // Most invocations are cold starts, and the person connecting waits for init and invocation
  // together. So inside Lambda (only there: importing the module stays side-effect free), the
  // reads go on the wire first, and the warm-up's CPU work runs while they are in flight, until
  // they answer: init never outlasts them. Top-level await: Lambda waits for it before the
  // first invocation. Both steps are bounded.
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
    try {
      const prefetch = wiring.prefetch();
      await prefetch.sent;
      await warmUp(config, { peekSettings: () => wiring.settings.peek(), warmEmailClient: () => wiring.warmEmailClient() }, prefetch.answered);
    } catch (error) {
      jsonLog({ level: 'WARN', message: `init warm-up failed; the first invocation does the work: ${describeError(error)}` });
    }
  }
  return handler;
}

export const handler: ConnectHandler = await init().catch((error: unknown) => initFailedHandler(error, jsonLog));
