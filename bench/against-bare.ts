/**
 * Issue 14's figures: the connect handler against a bare program that imports only the three SDK
 * clients it needs (bench/bare-handler.ts), in fresh processes taking turns (ours, bare, ours,
 * bare …) so both see the same load, on a given Node. Every AWS and Slack call goes through a
 * timing proxy that adds D and stamps when the request arrives and when its answer leaves, so
 * "first read on the wire" is measured where the network sees it, from the child's import start.
 */
import { fileURLToPath } from 'node:url';
import { runNode } from '../test/support/invoke.ts';
import { f, median } from './stats.ts';
import type { Stamped } from './timing-proxy.ts';

const RUNNER = fileURLToPath(new URL('./timed-run.mjs', import.meta.url));

/** What bench/timed-run.mjs prints: ms since process start, plus the import start as an epoch stamp. */
export interface TimedRun {
  node: string;
  importStartEpoch: number;
  importStart: number;
  initEnd: number;
  invokeStart: number;
  coldAnswer: number;
  warm: number[];
  response: unknown;
}

/** One point of a cold timeline, in ms from import start; a request has both ends. */
export interface TimelinePoint {
  readonly what: string;
  readonly at: number;
  readonly until?: number;
}

export interface ColdFigures {
  /** Process start → first answer. */
  cold: number;
  coldInvoke: number;
  warm: number[];
  /** From import start: the first read reaching the proxy, init's end, the first delivery reaching the proxy. */
  firstRead: number;
  initEnd: number;
  firstDelivery: number;
  timeline: TimelinePoint[];
}

const READ = /GetParameters?$|GetSecretValue$/;
const DELIVERY = /sns Publish$|slack chat\.postMessage$/;
/** The connect handler's session write (contract section 12): ours and bare write with PutItem. */
const SESSION_WRITE = /^dynamodb (PutItem|UpdateItem)$/;

/**
 * The figures of one cold run from the child's stamps and the proxies' log (requests of the warm
 * invocations, after the cold answer, are left out). A run without its two reads and both
 * deliveries (SNS and Slack), or with `sessionWrite` without the DynamoDB write before the cold
 * answer (and one per warm invocation), is an error: a variant that skipped one would look fast.
 */
export function coldFigures(run: TimedRun, requests: readonly Stamped[], options: { sessionWrite?: boolean } = {}): ColdFigures {
  if ((run.response as { allow?: unknown } | undefined)?.allow !== true) throw new Error(`the cold invocation did not answer allow: ${JSON.stringify(run.response)}`);
  const origin = run.importStartEpoch - run.importStart;
  const answeredAt = origin + run.coldAnswer;
  const cold = requests.filter((r) => r.arrived <= answeredAt);
  const fromImport = (epoch: number) => epoch - run.importStartEpoch;
  const reads = cold.filter((r) => READ.test(r.what)).map((r) => fromImport(r.arrived));
  const deliveries = cold.filter((r) => DELIVERY.test(r.what));
  const missing = [
    ...(reads.length < 2 ? ['the two reads'] : []),
    ...['sns Publish', 'slack chat.postMessage'].filter((name) => !deliveries.some((r) => r.what === name)),
    ...(options.sessionWrite && !cold.some((r) => SESSION_WRITE.test(r.what)) ? ['the session write (dynamodb PutItem or UpdateItem)'] : []),
  ];
  if (missing.length > 0) throw new Error(`the cold invocation answered without ${missing.join(', ')} on the wire (saw: ${cold.map((r) => r.what).join(', ') || 'nothing'})`);
  // The warm figure with the table on is only worth comparing if every warm call wrote too.
  const writes = requests.filter((r) => SESSION_WRITE.test(r.what)).length;
  if (options.sessionWrite && writes < 1 + run.warm.length) throw new Error(`${1 + run.warm.length} invocations made ${writes} session writes`);
  const seen = new Map<string, number>();
  const named = cold.map((r) => {
    const n = (seen.get(r.what) ?? 0) + 1;
    seen.set(r.what, n);
    return { what: n === 1 ? r.what : `${r.what} (${n})`, at: fromImport(r.arrived), ...(r.answered === undefined ? {} : { until: fromImport(r.answered) }) };
  });
  const timeline: TimelinePoint[] = [
    { what: 'process start', at: -run.importStart },
    ...named,
    { what: 'init ends (import resolved)', at: run.initEnd - run.importStart },
    { what: 'first invocation starts', at: run.invokeStart - run.importStart },
    { what: 'first answer', at: run.coldAnswer - run.importStart },
  ].sort((a, b) => a.at - b.at);
  return {
    cold: run.coldAnswer,
    coldInvoke: run.coldAnswer - run.invokeStart,
    warm: run.warm,
    firstRead: Math.min(...reads),
    initEnd: run.initEnd - run.importStart,
    firstDelivery: Math.min(...deliveries.map((r) => fromImport(r.arrived))),
    timeline,
  };
}

/** The run whose cold total is the median (nearest rank, as `median`): its timeline stands for the set. */
export function medianRun(runs: readonly ColdFigures[]): ColdFigures {
  const target = median(runs.map((r) => r.cold));
  const found = runs.find((r) => r.cold === target);
  if (!found) throw new Error('no runs');
  return found;
}

export interface Variant {
  readonly label: string;
  readonly bundle: string;
}

export interface BareSetup {
  /** The Node binary that runs the bundles. */
  readonly node: string;
  readonly runs: number;
  readonly variants: readonly Variant[];
  /** With SESSION_TABLE_NAME set, every cold run must also show the session write. */
  readonly env: Record<string, string>;
  readonly event: unknown;
  /** The timing proxies every AWS and Slack request of `env` goes through. */
  readonly proxies: readonly { readonly log: Stamped[]; clear(): void }[];
}

async function timedRun(node: string, bundle: string, env: Record<string, string>, event: unknown): Promise<TimedRun> {
  const { code, stdout, stderr } = await runNode(node, [RUNNER, bundle, JSON.stringify(event)], env);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`${bundle} on ${node} failed (exit ${code}): ${stderr.slice(0, 2000)}`);
  return JSON.parse(line.slice(7)) as TimedRun;
}

/** Runs every variant `runs` times, taking turns; a first round warms the disk cache and moto and is not counted. */
export async function measureAgainstBare(setup: BareSetup): Promise<{ node: string; figures: Map<string, ColdFigures[]> }> {
  const figures = new Map<string, ColdFigures[]>(setup.variants.map((v) => [v.label, []]));
  const sessionWrite = Boolean(setup.env.SESSION_TABLE_NAME);
  let version = '';
  for (let round = 0; round <= setup.runs; round += 1) {
    for (const variant of setup.variants) {
      for (const proxy of setup.proxies) proxy.clear();
      const run = await timedRun(setup.node, variant.bundle, setup.env, setup.event);
      version = run.node;
      let measured: ColdFigures;
      try {
        measured = coldFigures(run, setup.proxies.flatMap((p) => p.log), { sessionWrite });
      } catch (error) {
        throw new Error(`${variant.label} on Node ${run.node}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (round > 0) figures.get(variant.label)?.push(measured);
    }
  }
  return { node: version, figures };
}

/** Issue 14's targets: ours / bare, ratio of medians. */
export const TARGETS = [
  { figure: 'cold total: process start → first answer', pick: (r: ColdFigures[]) => median(r.map((x) => x.cold)), max: 0.9 },
  { figure: 'warm invocation', pick: (r: ColdFigures[]) => median(r.flatMap((x) => x.warm)), max: 1.05 },
  { figure: 'first read on the wire, from import start', pick: (r: ColdFigures[]) => median(r.map((x) => x.firstRead)), max: 0.7 },
] as const;

const CONTEXT = [
  { figure: 'init ends, from import start', pick: (r: ColdFigures[]) => median(r.map((x) => x.initEnd)) },
  { figure: 'first delivery on the wire, from import start', pick: (r: ColdFigures[]) => median(r.map((x) => x.firstDelivery)) },
  { figure: 'first invocation alone', pick: (r: ColdFigures[]) => median(r.map((x) => x.coldInvoke)) },
] as const;

/** Issue 14's target with the session table on (bare doing the same write after its Slack post). */
export const TABLE_TARGETS = [{ figure: 'warm with session table', pick: (r: ColdFigures[]) => median(r.flatMap((x) => x.warm)), max: 1.05 }] as const;

const TABLE_CONTEXT = [
  { figure: 'cold total with session table', pick: (r: ColdFigures[]) => median(r.map((x) => x.cold)) },
  { figure: 'first invocation alone with session table', pick: (r: ColdFigures[]) => median(r.map((x) => x.coldInvoke)) },
] as const;

export interface Pair {
  readonly ours: ColdFigures[];
  readonly bare: ColdFigures[];
}

export interface NodeResult extends Pair {
  readonly node: string;
  /** The same pair with SESSION_TABLE_NAME set, when that pass ran on this Node. */
  readonly table?: Pair;
}

type Row = { readonly figure: string; readonly pick: (r: ColdFigures[]) => number; readonly max?: number };

function row(node: string, { ours, bare }: Pair, r: Row): string {
  const ratio = r.pick(ours) / r.pick(bare);
  const target = r.max === undefined ? '| | |' : `| ≤ ${f(r.max, 2)} | ${ratio <= r.max ? 'met' : '**not met**'} |`;
  return `| ${node} | ${r.figure} | ${f(r.pick(ours))} | ${f(r.pick(bare))} | ${f(ratio, 3)} ${target}`;
}

/** The ratios table: one block of rows per Node, targets first, then the figures that explain them, then the session-table pass. */
export function ratioRows(results: readonly NodeResult[]): string[] {
  const rows = ['| Node | figure (ms, medians) | ours | bare | ours / bare | target | verdict |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const result of results) {
    for (const r of [...TARGETS, ...CONTEXT]) rows.push(row(result.node, result, r));
    if (result.table) for (const r of [...TABLE_TARGETS, ...TABLE_CONTEXT]) rows.push(row(result.node, result.table, r));
  }
  return rows;
}

/**
 * One cold run per column; rows are the union of events in the time order of the first column
 * that has them (so the first column reads top to bottom; the others may not).
 */
export function timelineRows(columns: readonly { label: string; run: ColdFigures }[]): string[] {
  const key = new Map<string, number>();
  for (const { run } of columns) for (const p of run.timeline) if (!key.has(p.what)) key.set(p.what, p.at);
  const order = [...key.entries()].sort((a, b) => a[1] - b[1]).map(([what]) => what);
  const cell = (p: TimelinePoint | undefined) => (!p ? '—' : p.until === undefined ? f(p.at) : `${f(p.at)} → ${f(p.until)}`);
  return [
    `| event (ms from import start; a request: reaches the proxy → answer sent back) | ${columns.map((c) => `${c.label} (cold ${f(c.run.cold)})`).join(' | ')} |`,
    `| --- | ${columns.map(() => '---').join(' | ')} |`,
    ...order.map((what) => `| ${what} | ${columns.map((c) => cell(c.run.timeline.find((p) => p.what === what))).join(' | ')} |`),
  ];
}
