/**
 * The deployable artifact itself (contract section 2): one self-contained ES module that
 * loads with no credentials, no network and no environment, and still answers allow.
 */
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BUNDLE, EVENTS_BUNDLE, invocationLogs, runBundle, WORKER_BUNDLE } from '../support/invoke.ts';

const ALLOW = { allow: true, 'error-msg-on-denied-connection': '', 'posture-compliance-statuses': [], 'schema-version': 'v2' };

describe('dist/connect-handler/index.mjs', () => {
  it('imports nothing but Node built-ins: every dependency is bundled', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    const specifiers = [...code.matchAll(/(?:^|[;\s}])import\s*(?:[\w{}\s,*$]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((specifier) => !specifier?.startsWith('node:'))).toEqual([]);
    // Not even the SDK's optional SigV4a signers: they came with the default credential chain's
    // nested clients, which the Lambda bundles replace (src/base/lambda-credentials.ts).
    // The second stage is a string literal in the first (scripts/bundle.ts): its quotes may be escaped.
    const requires = [...code.matchAll(/require\(\\?["']([^"'\\]+)\\?["']\)/g)].map((m) => m[1]);
    const external = requires.filter((name) => !name?.startsWith('node:') && !isBuiltin(name ?? ''));
    expect([...new Set(external)]).toEqual([]);
    expect(requires.length).toBeGreaterThan(0);
    // The chain's own last words are not in the bundle; the environment link's are.
    expect(code).not.toContain('Could not load credentials from any providers');
    expect(code).toContain('Unable to find environment variable credentials');
  });

  it('loads and answers allow with an empty environment, for any input', async () => {
    const run = await runBundle({}, [{ event: null }, { event: {} }, { event: 'garbage' }, { event: [1, 2] }, { event: { username: 'x' } }]);
    for (const result of run.results) {
      expect(result.threw).toBeUndefined();
      expect(result.response).toEqual(ALLOW);
    }
    const logs = invocationLogs(run);
    expect(logs).toHaveLength(5);
    expect(logs[0]).toMatchObject({ channels: { slack: { status: 'skipped' }, email: { status: 'skipped' } } });
  });

  it('logs an invalid setting once, uses its default and still allows', async () => {
    const run = await runBundle({ NOTIFY_BUDGET_MS: 'abc', TIME_ZONE: 'Nowhere/Land' }, [{ event: {} }, { event: {} }]);
    expect(run.results.map((r) => r.response)).toEqual([ALLOW, ALLOW]);
    const warnings = run.logs.filter((l) => String(l.message).startsWith('configuration:'));
    expect(warnings.map((w) => w.message)).toEqual([
      'configuration: NOTIFY_BUDGET_MS="abc" is not a whole number from 100 to 25000; using the default 3000',
      'configuration: TIME_ZONE="Nowhere/Land" is not an IANA time zone; using the default UTC',
    ]);
    expect(invocationLogs(run)[0]).toMatchObject({ budgetMs: 3000 });
  });

  it('runs in the Node that BUNDLE_NODE names (the Lambda runtime\'s in the node24 pass), else in the test runner\'s', async () => {
    const run = await runBundle({}, [{ event: {} }, { parallel: [{}, {}] }]);
    const expected = process.env.BUNDLE_NODE_VERSION ?? process.version;
    expect(run.results.map((r) => r.node)).toEqual([expected, expected]);
    expect(run.results[0]?.response).toEqual(ALLOW);
  });

  it('answers within the remaining Lambda time minus a second', async () => {
    const run = await runBundle({ NOTIFY_BUDGET_MS: '5000', SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:1:t', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }, [
      { event: {}, remainingMs: 1300 },
    ]);
    expect(run.results[0]?.response).toEqual(ALLOW);
    expect(invocationLogs(run)[0]).toMatchObject({ budgetMs: 300 });
    expect(run.results[0]?.ms).toBeLessThanOrEqual(300 + 100);
  });
});

describe('dist/retry-worker/index.mjs', () => {
  // The worker re-sends rendered payloads: no templates to read or compile, no session table.
  // It reads one parameter (the routes document) to know where a queued message may go.
  it('carries only what the worker uses: no template reads, no Handlebars', () => {
    const worker = readFileSync(new URL('../../dist/retry-worker/index.mjs', import.meta.url), 'utf8');
    const handler = readFileSync(BUNDLE, 'utf8');
    for (const probe of ['GetParametersRequest', 'Handlebars']) {
      expect(handler).toContain(probe);
      expect(worker).not.toContain(probe);
    }
    expect(worker).toContain('GetParameterRequest');
    expect(worker).toContain('ChangeMessageVisibility');
    // The session table, read to tell the notifier's own threads (a thread reply names the channel ID).
    expect(worker).toContain('DynamoDB_20120810');
  });
});

// Contract section 2 holds for every function's bundle: loading needs no credentials, network or
// environment, and what arrives with nothing configured is handled, not thrown.
describe('every function bundle loads with an empty environment', () => {
  it('connection-events: a garbage or control-message batch resolves (logged and skipped)', async () => {
    const run = await runBundle({}, [{ event: null }, { event: { awslogs: { data: 'not base64 gzip' } } }], EVENTS_BUNDLE);
    for (const result of run.results) {
      expect(result.threw).toBeUndefined();
      expect(result.resolved).toBe(true);
    }
    expect(run.logs.some((line) => String(line.message).startsWith('connection-events: batch skipped'))).toBe(true);
  });

  it('retry worker: a malformed record is dropped with its body logged, nothing handed back', async () => {
    const run = await runBundle({}, [{ event: { Records: [{ messageId: 'm1', body: 'garbage', attributes: { ApproximateReceiveCount: '1' } }] } }], WORKER_BUNDLE);
    expect(run.results[0]?.threw).toBeUndefined();
    expect(run.results[0]?.response).toEqual({ batchItemFailures: [] });
    expect(run.logs.some((line) => line.level === 'ERROR' && line.body === 'garbage')).toBe(true);
  });
});
