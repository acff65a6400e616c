/**
 * `npm run bench`: the connect handler's cost to the person connecting, cold and warm, against
 * the physical limit. The real bundle runs in fresh Node processes against moto_server and the
 * Slack fake, with a fixed delay D injected on every AWS and Slack call, so the ideal is known:
 * the reads in parallel cost one D, the deliveries in parallel another.
 *
 *   npm run bench [-- --delay 50] [-- --runs 20] [-- --quick]
 *
 * Writes BENCHMARKS.md (unless --quick) and prints the table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { bundle, bundleOptions, ROOT } from '../scripts/bundle.ts';
import { awsClients, createSecret, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue } from '../test/support/aws.ts';
import { startFaultProxy } from '../test/support/fault-proxy.ts';
import { BUNDLE, runBundle, type InvocationResult } from '../test/support/invoke.ts';
import { motoAvailable, startMoto } from '../test/support/moto.ts';
import { startSlackFake } from '../test/support/slack-fake.ts';

const { values } = parseArgs({ options: { delay: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' } } });
const D = Number(values.delay ?? 50);
const RUNS = values.quick ? 3 : Math.max(20, Number(values.runs ?? 20));
const BURST = values.quick ? 20 : 200;
const HANG_BUDGET_MS = 500;
const TOKEN = 'xoxb-7777-8888-benchtoken';
const NAIVE_BUNDLE = `${ROOT}dist/bench-naive/index.mjs`;

const median = (xs: number[]): number => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}
const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function wallMs(args: string[]): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  if (!motoAvailable()) throw new Error('the benchmark needs moto_server');
  bundle('connect-handler', `${ROOT}dist/connect-handler`);
  buildSync({ ...bundleOptions('connect-handler', `${ROOT}dist/bench-naive`), entryPoints: { index: 'bench/naive-handler.ts' } });

  const code = readFileSync(BUNDLE);
  const sizes = { bytes: code.length, gzip: gzipSync(code).length };

  // Bare import: node importing the bundle, minus node doing nothing.
  const baseline: number[] = [];
  const importing: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    baseline.push(wallMs(['-e', '0']));
    importing.push(wallMs(['--no-warnings', '--input-type=module', '-e', `await import(${JSON.stringify(BUNDLE)})`]));
  }
  const importOverhead = median(importing) - median(baseline);

  const moto = await startMoto();
  const aws = awsClients(moto.url);
  const slack = await startSlackFake(TOKEN);
  const proxy = await startFaultProxy(moto.url);
  try {
    const topic = await topicWithQueue(aws, 'bench');
    const secret = await createSecret(aws, 'bench/slack', TOKEN);
    await putTemplate(aws, '/bench/templates/slack', ':bell: {%username%} from {%publicIp%}');
    await aws.ssm.send(new GetParametersCommand({ Names: ['/warm'] }));
    const env = (over: Record<string, string> = {}): Record<string, string> => ({
      ...TEST_ENV_CREDENTIALS,
      AWS_LAMBDA_FUNCTION_NAME: 'AWSClientVPN-bench',
      AWS_ENDPOINT_URL: proxy.url,
      SNS_TOPIC_ARN: topic.topicArn,
      SLACK_TOKEN_SECRET_ID: secret,
      SLACK_CHANNEL: 'C0BENCH',
      SLACK_API_URL: slack.apiUrl,
      TEMPLATE_PARAMETER_PATH: '/bench/templates',
      NOTIFY_BUDGET_MS: '3000',
      ...over,
    });
    proxy.delayMs = D;
    slack.delayMs = D;
    const event = JSON.parse(readFileSync(`${ROOT}test/fixtures/event-v2.json`, 'utf8'));

    // What one call really costs through proxy + moto: D plus the emulator's own time.
    const direct: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const client = awsClients(proxy.url);
      const started = performance.now();
      await client.ssm.send(new GetParametersCommand({ Names: ['/bench/templates/slack'] }));
      direct.push(performance.now() - started);
    }

    async function coldWarm(bundlePath: string) {
      const cold: number[] = [];
      const coldInvoke: number[] = [];
      const imports: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const run = await runBundle(env(), [{ event }, { event, waitMs: 20 }, { event, waitMs: 20 }], bundlePath);
        const [first, second, third] = run.results as [InvocationResult, InvocationResult, InvocationResult];
        cold.push(first.sinceProcessStart);
        coldInvoke.push(first.ms);
        imports.push(first.importMs);
        warm.push(second.ms, third.ms);
      }
      return { cold, coldInvoke, imports, warm };
    }
    const ours = await coldWarm(BUNDLE);
    const naive = await coldWarm(NAIVE_BUNDLE);

    // Budget adherence: each dependency hanging, every invocation re-reading (TTL 0).
    proxy.delayMs = 0;
    slack.delayMs = 0;
    const overruns: Record<string, number[]> = {};
    for (const dependency of ['ssm', 'secretsmanager', 'sns', 'slack'] as const) {
      const hang = await startFaultProxy(moto.url);
      hang.fault = 'hang';
      const over: Record<string, string> = { NOTIFY_BUDGET_MS: String(HANG_BUDGET_MS), CACHE_TTL_SECONDS: '0' };
      if (dependency === 'slack') slack.fault = 'hang';
      else over[{ ssm: 'AWS_ENDPOINT_URL_SSM', secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER', sns: 'AWS_ENDPOINT_URL_SNS' }[dependency]] = hang.url;
      const steps = Array.from({ length: RUNS }, () => ({ event }));
      const run = await runBundle(env(over), steps);
      overruns[dependency] = run.results.map((r) => r.ms - HANG_BUDGET_MS);
      slack.fault = 'ok';
      await hang.close();
    }

    // Burst: many invocations at once in one process (one warm instance can't do this in Lambda,
    // but it shows what concurrency costs the process).
    proxy.delayMs = D;
    slack.delayMs = D;
    const burstRun = await runBundle(env(), [{ event }, { parallel: Array.from({ length: BURST }, () => event), waitMs: 20 }]);
    const burst = burstRun.results[1] as InvocationResult;
    const burstTimes = (burst.calls ?? []).map((c) => c.ms);

    // The same burst with no handler at all: one SNS Publish and one Slack post per "connection",
    // all at once, from this process with the SDK's default client. This is the emulator's floor.
    const floorClient = awsClients(proxy.url);
    const floorTimes = await Promise.all(
      Array.from({ length: BURST }, async (_, i) => {
        const started = performance.now();
        await Promise.all([
          floorClient.sns.send(new PublishCommand({ TopicArn: topic.topicArn, Subject: 'floor', Message: `floor ${i}` })),
          fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `channel=C0BENCH&text=floor${i}` }).then((r) => r.text()),
        ]);
        return performance.now() - started;
      }),
    );

    const Deff = median(direct);
    const rows = (label: string, r: Awaited<ReturnType<typeof coldWarm>>) => {
      // Node's own start, the bare import, one read and one delivery: nothing can be faster.
      const idealCold = nodeStart + importOverhead + 2 * D;
      return [
        `| ${label} cold: process start → first answer | ${f(median(r.cold))} | ${f(quantile(r.cold, 0.95))} | node ${f(nodeStart)} + import ${f(importOverhead)} + 2·D = ${f(idealCold)} | ${f(median(r.cold) / idealCold, 2)} (${f(median(r.cold) - idealCold)} ms over) |`,
        `| ${label} cold: import + init (prefetch, warm-up) | ${f(median(r.imports))} | ${f(quantile(r.imports, 0.95))} | | |`,
        `| ${label} cold: first invocation alone | ${f(median(r.coldInvoke))} | ${f(quantile(r.coldInvoke, 0.95))} | | |`,
        `| ${label} warm invocation (within TTL) | ${f(median(r.warm))} | ${f(quantile(r.warm, 0.95))} | D = ${D} | ${f(median(r.warm) / D, 2)} (${f(median(r.warm) - D)} ms over; one call costs ${f(Deff)}) |`,
      ];
    };
    const nodeStart = median(baseline);
    const lines = [
      `# Benchmarks`,
      '',
      `Run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), D = ${D} ms injected on every AWS and Slack call, ${RUNS} runs${values.quick ? ' (--quick)' : ''}.`,
      `Measured cost of one AWS call through the proxy and moto_server: median ${f(Deff)} ms (D plus the emulator's own time).`,
      '',
      '| bundle | value |',
      '| --- | --- |',
      `| dist/connect-handler/index.mjs | ${sizes.bytes} bytes, ${sizes.gzip} gzip |`,
      `| bare import (node + import − node -e 0), median | ${f(importOverhead)} ms (node alone: ${f(nodeStart)} ms) |`,
      '',
      '| figure (ms) | median | p95 | ideal | ratio to ideal |',
      '| --- | --- | --- | --- | --- |',
      ...rows('ours', ours),
      ...rows('naive (sequential, no init prefetch)', naive),
      '',
      `Budget adherence (NOTIFY_BUDGET_MS = ${HANG_BUDGET_MS}, one dependency hanging, ${RUNS} invocations each; negative = answered before the budget):`,
      '',
      '| hanging | overrun p95 (ms) | overrun max (ms) |',
      '| --- | --- | --- |',
      ...Object.entries(overruns).map(([dep, xs]) => `| ${dep} | ${f(quantile(xs, 0.95))} | ${f(Math.max(...xs))} |`),
      '',
      `Burst: ${BURST} concurrent invocations in one warm process: p50 ${f(median(burstTimes))} ms, p99 ${f(quantile(burstTimes, 0.99))} ms, peak RSS ${f((burst.maxRssBytes ?? 0) / 1048576)} MB.`,
      `The same burst with no handler (${BURST} × one SNS Publish + one Slack post, all at once, SDK defaults): p50 ${f(median(floorTimes))} ms, p99 ${f(quantile(floorTimes, 0.99))} ms: the emulator's floor.`,
      '',
    ];
    const table = lines.join('\n');
    console.log(table);
    if (!values.quick) {
      const notesPath = `${ROOT}BENCHMARKS.md`;
      let notes = '';
      try {
        const previous = readFileSync(notesPath, 'utf8');
        const marker = previous.indexOf('\n## Notes');
        if (marker >= 0) notes = previous.slice(marker);
      } catch {
        // first run
      }
      writeFileSync(notesPath, table + notes);
      console.log(`wrote ${notesPath}`);
    }
  } finally {
    await Promise.all([slack.close(), proxy.close()]);
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
