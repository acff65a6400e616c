// Runs the built bundle in a fresh Node process, as Lambda would: import, then invocations.
// argv[2] is a JSON plan: { bundle, steps: [{ event, waitMs?, remainingMs? }] }.
// Each invocation prints one line "RESULT {json}"; the handler's own log lines are JSON too.
const t0 = performance.now();
const plan = JSON.parse(process.argv[2]);
const mod = await import(plan.bundle);
const importMs = performance.now() - t0;
for (const [index, step] of plan.steps.entries()) {
  if (step.waitMs) await new Promise((resolve) => setTimeout(resolve, step.waitMs));
  const started = performance.now();
  let response;
  let threw;
  try {
    response = await mod.handler(step.event, {
      getRemainingTimeInMillis: () => step.remainingMs ?? 30_000,
      awsRequestId: `req-${index}`,
    });
  } catch (error) {
    threw = String(error);
  }
  const ms = performance.now() - started;
  process.stdout.write(`RESULT ${JSON.stringify({ index, response, threw, ms, sinceStart: performance.now() - t0, importMs })}\n`);
}
process.exit(0);
