import { raceWithin, type Clock } from '../base/deadline.ts';
import { describeError } from '../base/errors.ts';
import type { Channel, ChannelName, ChannelResult, Destination } from '../channels/channel.ts';
import type { PlannedDelivery } from './render-step.ts';

/** What became of one delivery. */
export interface DeliveryOutcome {
  readonly destination: Destination;
  readonly channel: ChannelName;
  /** The channel's request, kept so a retryable failure can be queued as it was. */
  readonly payload: unknown;
  readonly result: ChannelResult;
  readonly durationMs: number;
  /** ISO time the delivery ended: a failure's first-failure time. */
  readonly endedAt: string;
}

export interface DeliverWindow {
  readonly signal: AbortSignal;
  /** Epoch ms by which every delivery has an answer (or is timed out). */
  readonly deliverBy: number;
  /** Epoch ms by which a channel's own reads (its token) must be done. */
  readonly readBy: number;
  readonly clock: Clock;
}

/**
 * Reads what each channel in use needs (its token), concurrently and bounded by `waitMs`.
 * Resolves to the result a channel's deliveries end with when it is not ready.
 */
export async function prepareChannels(channels: readonly Channel[], waitMs: number, signal: AbortSignal): Promise<ReadonlyMap<ChannelName, ChannelResult | undefined>> {
  const distinct = [...new Map(channels.map((channel) => [channel.name, channel])).values()];
  const results = await Promise.all(
    distinct.map(async (channel): Promise<[ChannelName, ChannelResult | undefined]> => {
      try {
        return [channel.name, await channel.prepare(waitMs, signal)];
      } catch (error) {
        return [channel.name, { status: 'failed', retryable: true, reason: `channel threw while preparing: ${describeError(error)}` }];
      }
    }),
  );
  return new Map(results);
}

/**
 * Delivers every planned request concurrently; each ends by `deliverBy` at the latest (an
 * unanswered one as `timedOut`, its request aborted). Never throws: a channel that throws
 * is reported as a retryable failure.
 */
export function deliverAll(planned: readonly PlannedDelivery[], notReady: ReadonlyMap<ChannelName, ChannelResult | undefined>, window: DeliverWindow): Promise<DeliveryOutcome[]> {
  return Promise.all(startDeliveries(planned, notReady, window));
}

/** The deliveries, started concurrently: one promise each, in order (a step may follow some of them early). */
export function startDeliveries(planned: readonly PlannedDelivery[], notReady: ReadonlyMap<ChannelName, ChannelResult | undefined>, window: DeliverWindow): Promise<DeliveryOutcome>[] {
  return planned.map((delivery) => deliverOne(delivery, notReady.get(delivery.channel.name), window));
}

async function deliverOne({ destination, channel, payload }: PlannedDelivery, notReady: ChannelResult | undefined, window: DeliverWindow): Promise<DeliveryOutcome> {
  const { clock } = window;
  const started = clock.now();
  const end = (result: ChannelResult): DeliveryOutcome => {
    const ended = clock.now();
    return { destination, channel: channel.name, payload, result, durationMs: ended - started, endedAt: new Date(ended).toISOString() };
  };
  if (notReady) return end(notReady);
  const waitMs = window.deliverBy - started;
  const timedOut = (): ChannelResult => ({ status: 'timedOut', reason: `no answer within ${Math.max(0, Math.round(waitMs))} ms; aborted` });
  try {
    return end(await raceWithin(channel.deliver(payload, { signal: window.signal, readBy: window.readBy }), waitMs, window.signal, timedOut, clock));
  } catch (error) {
    // Channels should not throw; if one does, it is a bug worth retrying around, not a denial.
    return end({ status: 'failed', retryable: true, reason: `channel threw: ${describeError(error)}` });
  }
}
