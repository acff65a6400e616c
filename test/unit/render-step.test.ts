import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/base/config.ts';
import type { EmailPayload, SlackPayload } from '../../src/channels/channel.ts';
import { connectNotification } from '../../src/pipeline/connect-notification.ts';
import { configuredDestinations } from '../../src/pipeline/destinations.ts';
import { renderDeliveries } from '../../src/pipeline/render-step.ts';
import type { StoredTemplates } from '../../src/render/render.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import { FakeChannel } from '../support/fake-channel.ts';
import v2 from '../fixtures/event-v2.json' with { type: 'json' };

beforeAll(async () => {
  await loadTemplateEngine();
});

const config = parseConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', SLACK_CHANNEL: 'C1' }).config;
const channels = { slack: new FakeChannel<SlackPayload>('slack'), email: new FakeChannel<EmailPayload>('email') };
const notification = connectNotification(v2, new Date('2026-11-29T08:00:00Z'), config);

/** Renders, counting the turns of the event loop taken meanwhile (a setImmediate chain runs once per turn). */
async function render(stored: StoredTemplates): Promise<{ turns: number; slackText: string | undefined }> {
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    if (!counting) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await renderDeliveries(notification, configuredDestinations(config), channels, stored, 'UTC');
  counting = false;
  return { turns, slackText: (result.planned[0]?.payload as SlackPayload | undefined)?.text };
}

describe('render step', () => {
  it('yields to the event loop before a template it has to compile, and not once every template is compiled', async () => {
    const stored = { slack: ':bell: {%username%} (render-step test)' };
    const first = await render(stored);
    expect(first.slackText).toBe(':bell: alice (render-step test)');
    expect(first.turns).toBeGreaterThan(0);

    const warm = await render(stored);
    expect(warm.slackText).toBe(':bell: alice (render-step test)');
    expect(warm.turns).toBe(0);

    // A stored template changed by the operator is a new compile: the step yields again.
    const changed = await render({ slack: ':bell: {%username%} (changed)' });
    expect(changed.slackText).toBe(':bell: alice (changed)');
    expect(changed.turns).toBeGreaterThan(0);
  });
});
