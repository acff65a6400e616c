/**
 * The connect handler's second stage: everything but the early reads (the SDK clients, the
 * Slack Web API client, Handlebars, the pipeline). In the bundle it is kept as text and
 * evaluated only once the first stage has put the reads on the wire (scripts/bundle.ts,
 * src/handler/stage-one.ts); run from source, it is a plain import.
 *
 * Nothing here may become an init error: that would deny every connection.
 */
import type { Config } from '../base/config.ts';
import { describeError } from '../base/errors.ts';
import { jsonLog } from '../base/log.ts';
import type { EarlyReads } from '../sources/early-reads.ts';
import { createConnectHandler, type ConnectHandler } from './connect.ts';
import { warmUp } from './warm-up.ts';
import { createConnectWiring } from './wiring.ts';

export interface StageTwoInput {
  readonly config: Config;
  /** True inside Lambda: only there does init read ahead and warm up (importing stays side-effect free). */
  readonly inLambda: boolean;
  /** The reads the first stage sent, if it did. */
  readonly early: EarlyReads | undefined;
}

export async function startConnectHandler({ config, inLambda, early }: StageTwoInput): Promise<ConnectHandler> {
  const wiring = createConnectWiring(config, early);
  for (const channel of Object.values(wiring.channels.registry)) {
    if (channel.disabledReason) jsonLog({ level: 'INFO', message: `${channel.name} channel off: ${channel.disabledReason}` });
  }
  if (!wiring.retryQueue) jsonLog({ level: 'INFO', message: 'retry queue off (RETRY_QUEUE_URL is not set): failed deliveries are only logged' });
  for (const read of [early?.parameters, early?.secret]) {
    // From then on the SDK client reads; the line says why the head start was lost (never a value).
    read?.answer.catch((error: unknown) => jsonLog({ level: 'WARN', message: `early read failed, the SDK client reads instead: ${describeError(error)}` }));
  }

  const handler = createConnectHandler({ config, settings: wiring.settings, channels: wiring.channels.registry, retryQueue: wiring.retryQueue, sessions: wiring.sessions, log: jsonLog });

  // Most invocations are cold starts, and the person connecting waits for init and invocation
  // together. So the reads go on the wire first (the first stage's, or the SDK's here), and the
  // warm-up's CPU work runs while they are in flight, until they answer: init never outlasts
  // them. Both steps are bounded.
  if (inLambda) {
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
