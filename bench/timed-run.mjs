// One fresh process for the bare-SDK comparison (bench/against-bare.ts): import the bundle (init
// included: the connect handler's top-level await), one cold invocation, two warm ones 20 ms
// apart. Prints one line "RESULT {json}" with times in ms since process start (Node's time
// origin) and the import start as an epoch stamp, to line up with the timing proxy's stamps.
// Plain .mjs: it runs unchanged on the machine's Node and on Node 24.
// argv[2]: the bundle's path; argv[3]: the event as JSON.
const importStart = performance.now();
const importStartEpoch = performance.timeOrigin + importStart;
const [bundle, eventJson] = process.argv.slice(2);
const mod = await import(bundle);
const initEnd = performance.now();
const event = JSON.parse(eventJson);
const context = (n) => ({ getRemainingTimeInMillis: () => 30_000, awsRequestId: `bench-${n}` });
const invokeStart = performance.now();
const response = await mod.handler(event, context(0));
const coldAnswer = performance.now();
const warm = [];
for (let n = 1; n <= 2; n += 1) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  await mod.handler(event, context(n));
  warm.push(performance.now() - started);
}
process.stdout.write(`RESULT ${JSON.stringify({ node: process.version, importStartEpoch, importStart, initEnd, invokeStart, coldAnswer, warm, response })}\n`);
process.exit(0);
