/**
 * Lambda entry of connection-events: a CloudWatch Logs subscription filter on the Client VPN
 * connection log invokes it (contract section 11). Same environment variables as the connect
 * handler. Loading needs no credentials, network or environment.
 */
import { parseConfig } from '../base/config.ts';
import { describeError } from '../base/errors.ts';
import type { LambdaContextLike } from '../base/lambda.ts';
import { handlerOrFallback } from '../base/entry.ts';
import { jsonLog } from '../base/log.ts';
import { createConnectionEventsHandler, UndeliveredError } from './handler.ts';
import { createEventsWiring } from './wiring.ts';

type Handler = (event: unknown, context?: LambdaContextLike) => Promise<void>;

function init(): Handler {
  const { config, warnings } = parseConfig(process.env);
  for (const warning of warnings) jsonLog({ level: 'WARN', message: `configuration: ${warning}` });
  const wiring = createEventsWiring(config);
  return createConnectionEventsHandler({ config, settings: wiring.settings, channels: wiring.channels.registry, retryQueue: wiring.retryQueue, sessions: wiring.sessions, log: jsonLog });
}

/** When init failed, every batch fails too, so CloudWatch Logs delivers it again once init works. */
function fallback(error: unknown): Handler {
  const reason = describeError(error);
  jsonLog({ level: 'ERROR', message: `connection-events init failed; batches are refused so that they are delivered again: ${reason}` });
  return async () => {
    throw new UndeliveredError(`init failed: ${reason}`);
  };
}

export const handler: Handler = handlerOrFallback(init, fallback);
