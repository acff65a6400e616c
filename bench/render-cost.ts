/**
 * CPU cost of routing and Block Kit per notification (issue 12: under 1 ms), measured in this
 * process with the product's own modules and no network: the connect notification is built,
 * a 10-route document is evaluated, and for each Slack destination it picks the default text
 * and the default blocks are rendered, as the pipeline's route and render steps do.
 */
import { parseConfig } from '../src/base/config.ts';
import { connectNotification } from '../src/pipeline/connect-notification.ts';
import { createRouter } from '../src/pipeline/route-step.ts';
import { renderSlackBlocks } from '../src/render/blocks.ts';
import { loadTemplateEngine } from '../src/render/compile.ts';
import { renderPart } from '../src/render/render.ts';
import { parseRoutes } from '../src/routing/parse.ts';
import { median, quantile } from './stats.ts';

/**
 * Ten routes, written so that the v2 fixture's user (alice, group admins) is checked against
 * every one: eight do not match, the ninth (security, continue) and the tenth (everyone) do.
 * So each notification walks the whole list, matches globs, and goes to two Slack channels.
 */
export const TEN_ROUTES = JSON.stringify({
  routes: [
    { name: 'robots', when: { users: ['ci-*', '*-bot', 'build*agent'] }, slack: false, email: false },
    { name: 'production', when: { endpoints: ['cvpn-endpoint-0123456789abcdef0'] }, slack: { channel: 'C0PROD' } },
    { name: 'staging', when: { endpoints: ['cvpn-endpoint-0fedcba987654321a', 'cvpn-endpoint-0fedcba987654321b'] }, slack: { channel: 'C0STAGING' } },
    { name: 'contractors', when: { groups: ['contractors', 'vendors'] }, slack: { channel: 'C0CONTRACT', mention: '<!here>' } },
    { name: 'failed-attempts', when: { events: ['connect-failed'] }, slack: { channel: 'C0ONCALL', mention: '<!subteam^S0ONCALL>' }, continue: true },
    { name: 'quiet-disconnects', when: { events: ['disconnect'] }, slack: {}, email: false },
    { name: 'finance', when: { groups: ['finance'], users: ['*@finance.example.com'] }, slack: { channel: 'C0FINANCE' } },
    { name: 'developers', when: { endpoints: ['cvpn-endpoint-00d00d00d00d00d00'], groups: ['developers'] }, slack: { channel: 'C0DEV' } },
    { name: 'security', when: { groups: ['admins', 'root'] }, slack: { channel: 'C0SECURITY', mention: '<@U0SECLEAD>' }, email: true, continue: true },
    { name: 'everyone', slack: {}, email: { events: ['connect'] } },
  ],
});

export interface RenderCost {
  readonly iterations: number;
  /** Slack destinations each notification went to. */
  readonly slackDestinations: number;
  /** Per notification, wall time of the whole route + render work (ms). */
  readonly perNotification: { readonly median: number; readonly p95: number };
  readonly routing: { readonly median: number; readonly p95: number };
  /** Text + blocks for one Slack destination. */
  readonly perDestination: { readonly median: number; readonly p95: number };
  /** Process CPU (user + system) over all iterations, divided by them (ms). */
  readonly cpuPerNotification: number;
  /** The first notification: compiles the default templates (once per instance; init's warm-up does it in Lambda). */
  readonly firstMs: number;
  /** Parsing the document: once per read (per cache TTL), not per notification. */
  readonly parseMs: number;
}

export async function measureRenderCost(event: unknown, iterations: number): Promise<RenderCost> {
  const { config } = parseConfig({ SLACK_CHANNEL: 'C0BENCH', SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:bench', SLACK_ACTIONS: 'on', TIME_ZONE: 'Asia/Tokyo', AWS_REGION: 'us-east-1' });
  await loadTemplateEngine();
  const parseStarted = performance.now();
  const parsed = parseRoutes(TEN_ROUTES);
  const parseMs = performance.now() - parseStarted;
  if (!parsed.ok) throw new Error(`the benchmark's routes document is invalid: ${parsed.errors.join('; ')}`);
  const route = createRouter(config);
  const settings = { templates: {}, routes: TEN_ROUTES };

  const total: number[] = [];
  const routing: number[] = [];
  const perDestination: number[] = [];
  let slackDestinations = 0;
  let firstMs = Number.NaN;
  // One notification end to end; the first call also compiles the defaults, so it is kept apart.
  const once = (): void => {
    const started = performance.now();
    const notification = connectNotification(event, new Date(), config);
    const { destinations } = route(notification, settings);
    const routed = performance.now();
    const slack = destinations.filter((destination) => destination.channel === 'slack');
    for (const destination of slack) {
      const before = performance.now();
      const context = { ...notification.context, mention: destination.mention };
      const text = renderPart('connect', 'slack', settings.templates, context, config.timeZone);
      const blocks = renderSlackBlocks('connect', undefined, context, config.timeZone);
      if (!text.text || !blocks.blocks) throw new Error('rendering produced no text or no blocks');
      perDestination.push(performance.now() - before);
    }
    const ended = performance.now();
    slackDestinations = slack.length;
    routing.push(routed - started);
    total.push(ended - started);
  };

  once();
  firstMs = total[0] ?? Number.NaN;
  total.length = 0;
  routing.length = 0;
  perDestination.length = 0;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < iterations; i += 1) once();
  const cpu = process.cpuUsage(cpuBefore);

  return {
    iterations,
    slackDestinations,
    perNotification: { median: median(total), p95: quantile(total, 0.95) },
    routing: { median: median(routing), p95: quantile(routing, 0.95) },
    perDestination: { median: median(perDestination), p95: quantile(perDestination, 0.95) },
    cpuPerNotification: (cpu.user + cpu.system) / 1000 / iterations,
    firstMs,
    parseMs,
  };
}
