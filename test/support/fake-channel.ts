import type { Channel, ChannelName, ChannelResult, DeliveryContext, Destination, MessageMeta, RenderedParts } from '../../src/channels/channel.ts';
import { EmailChannel } from '../../src/channels/email.ts';
import { SlackChannel } from '../../src/channels/slack.ts';

export type Behaviour<P> = 'send' | 'hang' | 'throw' | 'fail' | ((payload: P, context: DeliveryContext) => Promise<ChannelResult>);

// The real channels' payload building (pure), so a fake sends exactly what the real one would.
const realSlack = new SlackChannel({ tokenSource: undefined, channel: 'C-any', apiUrl: 'https://slack.invalid/api/' });
const realEmail = new EmailChannel({ publish: async () => undefined }, 'arn:any');

/** A channel whose delivery behaves as told, recording what it was asked to send. */
export class FakeChannel<P = unknown> implements Channel<P> {
  readonly limits = { maxText: { amount: 40_000, unit: 'characters' as const } };
  readonly parts;
  readonly delivered: P[] = [];
  readonly seen: P[] = [];
  abortedInFlight = 0;
  prepared: ChannelResult | undefined;
  refusal: string | undefined;

  constructor(
    readonly name: ChannelName,
    private behaviour: Behaviour<P> = 'send',
    readonly disabledReason: string | undefined = undefined,
  ) {
    this.parts = name === 'slack' ? realSlack.parts : realEmail.parts;
  }

  async prepare(): Promise<ChannelResult | undefined> {
    return this.disabledReason ? { status: 'skipped', reason: this.disabledReason } : this.prepared;
  }

  toPayload(rendered: RenderedParts, destination: Destination, meta: MessageMeta): P {
    return (this.name === 'slack' ? realSlack.toPayload(rendered, destination, meta) : realEmail.toPayload(rendered, destination, meta)) as P;
  }

  refuses(): string | undefined {
    return this.refusal;
  }

  async deliver(payload: P, context: DeliveryContext): Promise<ChannelResult> {
    this.seen.push(payload);
    if (this.disabledReason) return { status: 'skipped', reason: this.disabledReason };
    const behaviour = this.behaviour;
    if (typeof behaviour === 'function') return behaviour(payload, context);
    if (behaviour === 'throw') throw new Error('bug in channel');
    if (behaviour === 'fail') return { status: 'failed', retryable: false, reason: 'channel_not_found' };
    if (behaviour === 'hang') {
      return new Promise((resolve) =>
        context.signal.addEventListener('abort', () => {
          this.abortedInFlight += 1;
          resolve({ status: 'timedOut', reason: 'aborted' });
        }),
      );
    }
    this.delivered.push(payload);
    return { status: 'sent' };
  }
}
