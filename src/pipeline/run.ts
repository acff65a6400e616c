import { raceWithin, type Clock, type Deadline } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import type { ChannelRegistry } from '../channels/channel.ts';
import { loadTemplateEngine } from '../render/compile.ts';
import type { RetryQueue } from '../retry/queue.ts';
import type { CacheRead } from '../sources/cache.ts';
import type { StoredSettings } from '../sources/templates.ts';
import type { Notification } from './notification.ts';
import type { RouteStep } from './route-step.ts';
import { FINISH_MARGIN_MS, sharesFor } from './budget.ts';
import { prepareChannels, startDeliveries, type DeliveryOutcome } from './deliver.ts';
import { enqueueRetryable } from './enqueue.ts';
import { renderDeliveries, type MetaFor, type PlannedDelivery } from './render-step.ts';
import type { RunRecord } from './summary.ts';

/** Templates and routes, read together and cached (Parameter Store behind a TTL cache). */
export interface SettingsSource {
  get(waitMs: number, signal: AbortSignal): Promise<CacheRead<StoredSettings>>;
}

export interface PipelineDeps {
  readonly channels: ChannelRegistry;
  /** Undefined when settings are not read from anywhere (the local run): bundled defaults. */
  readonly settings: SettingsSource | undefined;
  readonly retryQueue: RetryQueue | undefined;
  readonly timeZone: string;
  readonly clock: Clock;
}

export interface RunInput {
  readonly notification: Notification;
  /** The route step: where this notification goes, given what was read. */
  readonly route: RouteStep;
  readonly metaFor?: MetaFor;
  /**
   * A step that follows the Slack deliveries as soon as they end, beside the email and the
   * queueing (the connect handler's session write). Bounded by the deadline; never throws.
   */
  readonly afterSlack?: (slack: readonly DeliveryOutcome[], signal: AbortSignal) => Promise<StepNote>;
}

/** What a side step did, for the log line. */
export interface StepNote {
  readonly state: 'done' | 'skipped' | 'failed' | 'timedOut';
  readonly reason?: string;
}

/**
 * One notification, start to end, as a straight line of steps that return values:
 * read → route → render → deliver → enqueue. Every step is bounded by `deadline`; the record
 * it resolves to is what the summary and the log line are computed from.
 */
export async function runNotification(input: RunInput, deps: PipelineDeps, deadline: Deadline): Promise<RunRecord> {
  const { clock } = deps;
  const { notification } = input;
  const shares = sharesFor(deadline.budgetMs, deps.retryQueue !== undefined);
  const deliverBy = deadline.at - shares.enqueueMs - FINISH_MARGIN_MS;
  const readBy = clock.now() + shares.readMs;
  const deliverSignal = deadline.within(deliverBy - clock.now());
  const used = Object.values(deps.channels).filter((channel) => !channel.disabledReason);

  // Read: templates + routes and each channel's token, concurrently; Handlebars loads meanwhile.
  const readStarted = clock.now();
  const [settings, notReady] = await Promise.all([
    deps.settings ? deps.settings.get(shares.readMs, deadline.signal) : Promise.resolve(undefined),
    prepareChannels(used, shares.readMs, deliverSignal),
    loadTemplateEngine(),
  ]);
  const renderStarted = clock.now();

  // Route, then render each destination's message.
  const { destinations, routing } = input.route(notification, settings?.value);
  const { planned, templates, blocksCut } = await renderDeliveries(notification, destinations, deps.channels, settings?.value?.templates ?? {}, deps.timeZone, input.metaFor);
  const rendered = clock.now();

  const pending = startDeliveries(planned, notReady, { signal: deliverSignal, deliverBy, readBy, clock });
  const afterSlack = input.afterSlack ? followSlack(input.afterSlack, planned, pending, deadline, clock) : undefined;
  // Each failure is queued as soon as its own delivery ends, not after the slowest one: a quick
  // Slack 429 then has the rest of the budget to reach SQS, not only the queueing share.
  const queued = pending.map(async (delivery) => {
    const outcome = await delivery;
    const [retry] = await enqueueRetryable([outcome], notification.connectionId, deps.retryQueue, deadline.at - FINISH_MARGIN_MS - clock.now(), deadline.signal, clock);
    return { outcome, retry: retry ?? ({ state: 'not-needed' } as const) };
  });
  const [ended, after] = await Promise.all([Promise.all(queued), afterSlack]);
  const deliveries = ended.map((entry) => entry.outcome);
  const retries = ended.map((entry) => entry.retry);

  return {
    connectionId: notification.connectionId,
    endpointId: notification.endpointId,
    expected: destinations,
    disabled: disabledChannels(deps.channels),
    deliveries,
    retries,
    templates: { read: readSource(deps.settings !== undefined, settings), ...(settings?.error ? { readError: settings.error } : {}), use: templates },
    phases: { templatesMs: renderStarted - readStarted, renderMs: rendered - renderStarted },
    routing,
    ...(blocksCut.length > 0 ? { blocksCut } : {}),
    ...(after ? { afterSlack: after } : {}),
  };
}

async function followSlack(step: NonNullable<RunInput['afterSlack']>, planned: readonly PlannedDelivery[], pending: readonly Promise<DeliveryOutcome>[], deadline: Deadline, clock: Clock): Promise<StepNote> {
  const slack = await Promise.all(pending.filter((_, index) => planned[index]?.channel.name === 'slack'));
  const waitMs = deadline.at - FINISH_MARGIN_MS - clock.now();
  const timedOut = (): StepNote => ({ state: 'timedOut', reason: `no answer within ${Math.max(0, Math.round(waitMs))} ms; aborted` });
  try {
    return await raceWithin(step(slack, deadline.signal), waitMs, deadline.signal, timedOut, clock);
  } catch (error) {
    return { state: 'failed', reason: describeError(error) };
  }
}

export function disabledChannels(channels: ChannelRegistry): Partial<Record<string, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const channel of Object.values(channels)) if (channel.disabledReason) out[channel.name] = channel.disabledReason;
  return out;
}

function readSource(configured: boolean, read: CacheRead<StoredSettings> | undefined): string {
  if (!configured || !read) return 'not-configured';
  return read.source === 'fetched' ? 'parameter-store' : read.source;
}
