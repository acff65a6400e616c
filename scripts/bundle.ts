/**
 * The one bundler configuration: `npm run build` and the CDK stack both call these functions,
 * so what is tested is what is deployed.
 */
import { buildSync, type BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ENTRIES = {
  'connect-handler': 'src/handler/index.ts',
  'retry-worker': 'src/worker/index.ts',
  'connection-events': 'src/connection-events/index.ts',
  'slack-actions': 'src/actions/index.ts',
} as const;
export type EntryName = keyof typeof ENTRIES;

export function bundleOptions(entry: EntryName, outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: ENTRIES[entry] },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Runs on Node 20 here and on the Lambda nodejs22.x / nodejs24.x runtimes.
    target: 'node20',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    legalComments: 'none',
    mainFields: ['module', 'main'],
    // Handlebars' main entry registers a require() extension using fs; its CJS dist does not.
    // Handlebars' source maps of compiled templates are never used: leave the library out.
    alias: { handlebars: 'handlebars/dist/cjs/handlebars.js', 'source-map': './scripts/empty-module.cjs' },
    // Some bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  };
}

/** Bundles one entry into `outdir` (the default templates module is generated ahead, see gen-templates). */
export function bundle(entry: EntryName, outdir: string): void {
  buildSync(bundleOptions(entry, outdir));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const entry of Object.keys(ENTRIES) as EntryName[]) {
    bundle(entry, `${ROOT}dist/${entry}`);
    console.log(`built dist/${entry}/index.mjs`);
  }
}
