// Runs the built bundle in a fresh Node process, as Lambda would: import, then invocations.
// argv[2] is a JSON plan: { bundle, steps: [{ event, gate?, waitMs?, remainingMs? }] }.
// `gate`: a file path; the step waits (bounded, 30 s) until the test creates it, so a test can
// change the world between two invocations of one warm process without racing a timer.
// Each invocation prints one line "RESULT {json}"; the handler's own log lines are JSON too.
// A handler that throws (connection-events, to have its batch delivered again) is reported as
// `threw` (the error's name and message); one that resolves has `resolved: true`, so a
// resolved `undefined` (connection-events' normal answer) is told apart from a throw.
import { existsSync } from 'node:fs';

const t0 = performance.now();
// CPU the process has used so far (user + system), to tell a starved process from a slow dependency.
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const plan = JSON.parse(process.argv[2]);
const mod = await import(plan.bundle);
const importMs = performance.now() - t0;
for (const [index, step] of plan.steps.entries()) {
  if (step.gate) {
    const until = performance.now() + 30_000;
    while (!existsSync(step.gate)) {
      if (performance.now() > until) throw new Error(`gate ${step.gate} was never opened`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  if (step.waitMs) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
  const started = performance.now();
  const context = (i) => ({ getRemainingTimeInMillis: () => step.remainingMs ?? 30_000, awsRequestId: `req-${index}-${i}` });
  const call = async (event, i) => {
    const begun = performance.now();
    try {
      return { response: await mod.handler(event, context(i)), resolved: true, ms: performance.now() - begun };
    } catch (error) {
      return { threw: String(error), ms: performance.now() - begun };
    }
  };
  if (Array.isArray(step.parallel)) {
    // A burst: every invocation at once, in this one process.
    const calls = await Promise.all(step.parallel.map((event, i) => call(event, i)));
    const ms = performance.now() - started;
    const maxRssBytes = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(`RESULT ${JSON.stringify({ index, calls, ms, sinceStart: performance.now() - t0, sinceProcessStart: performance.now(), importMs, node: process.version, cpuMs: cpuMs(), rssBytes: process.memoryUsage().rss, maxRssBytes })}\n`);
    continue;
  }
  const { response, resolved, threw } = await call(step.event, 0);
  const ms = performance.now() - started;
  // performance.now() counts from process start: the cold path as Lambda's clock would see it.
  process.stdout.write(`RESULT ${JSON.stringify({ index, response, resolved, threw, ms, sinceStart: performance.now() - t0, sinceProcessStart: performance.now(), importMs, node: process.version, cpuMs: cpuMs() })}\n`);
}
process.exit(0);
