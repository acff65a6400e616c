/**
 * The Lambda entry point: AWS Client VPN's client connect handler.
 *
 * Everything here runs once per instance, during init. Nothing needs credentials, network or
 * any environment variable to load; configuration problems are logged once, never thrown.
 */
import { parseConfig } from '../base/config.ts';
import { createConnectHandler } from './connect.ts';
import { jsonLog } from '../base/log.ts';
import { createRuntime } from './runtime.ts';
import { warmUp } from './warm-up.ts';

const { config, warnings } = parseConfig(process.env);
for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });

const runtime = createRuntime(config);
for (const channel of [runtime.slack, runtime.email]) {
  if (channel.disabledReason) jsonLog({ level: 'INFO', message: `${channel.name} channel off: ${channel.disabledReason}` });
}
if (!runtime.retryQueue) jsonLog({ level: 'INFO', message: 'retry queue off (RETRY_QUEUE_URL is not set): failed deliveries are only logged' });

// Most invocations are cold starts, and the person connecting waits for init and invocation
// together. So inside Lambda (only there: importing the module stays side-effect free), the
// reads go on the wire first, and the warm-up's CPU work runs while they are in flight.
// Top-level await: Lambda waits for it before the first invocation. Both steps are bounded.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
  await runtime.prefetch();
  await warmUp(config, { peekTemplates: () => runtime.templates.peek(), warmEmailClient: () => runtime.warmEmailClient() });
}

export const handler = createConnectHandler({
  config,
  templates: runtime.templates,
  slack: runtime.slack,
  email: runtime.email,
  retryQueue: runtime.retryQueue,
  log: jsonLog,
});
