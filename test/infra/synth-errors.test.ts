import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'cvpn-synth-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Runs the CDK app as `cdk synth` does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function synthApp(settings: Record<string, unknown>) {
  return spawnSync(join(ROOT, 'node_modules/.bin/tsx'), ['infra/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ 'clientvpn-notifier': settings }), CDK_OUTDIR: outdir },
  });
}

describe('cdk synth with a wrong setting', () => {
  it('stops with one line naming the setting, exit code 2, no stack trace', () => {
    const run = synthApp({ notifyBudgetMs: 25001 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('clientvpn-notifier: setting "notifyBudgetMs" must be a whole number from 100 to 25000');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a routes document the functions would refuse stops the synth, naming the setting and the JSON path', () => {
    const run = synthApp({ routes: { routes: [{ name: 'x', slack: { mention: '@channel' } }] } });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^clientvpn-notifier: setting "routes" is not a valid routes document: routes\[0\]\.slack\.mention: [^\n]+$/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
