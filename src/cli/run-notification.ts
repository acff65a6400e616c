import type { Config } from '../base/config.ts';
import { createDeadline, systemClock } from '../base/deadline.ts';
import { createConnectWiring } from '../handler/wiring.ts';
import { connectNotification } from '../pipeline/connect-notification.ts';
import { createRouter } from '../pipeline/route-step.ts';
import { runNotification } from '../pipeline/run.ts';
import { summarize, type RunRecord, type Summary } from '../pipeline/summary.ts';

/**
 * One real notification through the deployed configuration, as the connect handler would send
 * it, answered as typed outcomes (no log lines to scrape). No retry queue: the operator sees
 * each failure at once.
 */
export async function runTestNotification(event: unknown, config: Config): Promise<{ record: RunRecord; summary: Summary }> {
  const wiring = createConnectWiring(config);
  const deadline = createDeadline(config.notifyBudgetMs);
  try {
    const notification = connectNotification(event, new Date(), config);
    const record = await runNotification(
      { notification, route: createRouter(config) },
      { channels: wiring.channels.registry, settings: wiring.settings, retryQueue: undefined, timeZone: config.timeZone, clock: systemClock },
      deadline,
    );
    return { record, summary: summarize(record, false) };
  } finally {
    deadline.abort();
  }
}
