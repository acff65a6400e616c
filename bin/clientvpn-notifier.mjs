#!/usr/bin/env node
// Runs the TypeScript CLI straight from a clone after `npm ci` (tsx is a dev dependency).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
