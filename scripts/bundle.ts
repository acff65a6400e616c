/**
 * The one bundler configuration: `npm run build` and the CDK stack both call these functions,
 * so what is tested is what is deployed.
 */
import { buildSync, type BuildOptions, type Metafile } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
    // In Lambda the credentials are in the environment: the SDK's default chain is replaced by
    // its first link (src/base/lambda-credentials.ts says why).
    alias: {
      handlebars: 'handlebars/dist/cjs/handlebars.js',
      'source-map': './scripts/empty-module.cjs',
      '@aws-sdk/credential-provider-node': './src/base/lambda-credentials.ts',
    },
    // Some bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  };
}

/** One output file: its path and bytes. */
export interface BundleFile {
  readonly path: string;
  readonly contents: Uint8Array;
}

/**
 * One entry's output files, in memory (`npm run build` writes them; the CDK stack writes them
 * into its asset: what is tested is what is deployed). The default templates module is
 * generated ahead, see gen-templates.
 */
export function bundleFiles(entry: EntryName, outdir: string): BundleFile[] {
  if (entry === 'connect-handler') return buildInTwoStages(outdir, false).files;
  return buildSync({ ...bundleOptions(entry, outdir), write: false }).outputFiles.map(({ path, contents }) => ({ path, contents }));
}

/** Bundles one entry into `outdir`. */
export function bundle(entry: EntryName, outdir: string): void {
  for (const file of bundleFiles(entry, outdir)) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.contents);
  }
}

/**
 * The connect handler's two builds' metafiles, as one (for the bench's size by part). The first
 * stage's entry is left out: its bytes are the second stage's text (a few KB more for the string
 * escapes), which the second build's inputs already count.
 */
export function connectHandlerMetafile(outdir: string): Metafile {
  const [second, first] = buildInTwoStages(outdir, true).metafiles;
  const firstOutputs = Object.fromEntries(
    Object.entries(first.outputs).map(([name, output]) => {
      const { [STAGE_ONE_ENTRY]: entry, ...inputs } = output.inputs;
      return [name, { ...output, bytes: output.bytes - (entry?.bytesInOutput ?? 0), inputs }];
    }),
  );
  return { inputs: { ...second.inputs, ...first.inputs }, outputs: { ...second.outputs, ...firstOutputs } };
}

/** The connect handler's second stage: everything after the early reads (src/handler/stage-two.ts). */
const STAGE_TWO_ENTRY = 'src/handler/stage-two.ts';
const STAGE_TWO_MAP = 'stage-two.js.map';
/** The generated first-stage entry (esbuild stdin), as metafiles name it. */
const STAGE_ONE_ENTRY = 'connect-handler-entry.ts';
/** The second stage's text starts with this; the bundle tests look for it. */
export const STAGE_TWO_PREFIX = '(function(require,module,exports){';

/**
 * The connect handler as one file in two stages (issue 14: the reads go on the wire before the
 * rest is even parsed). The second stage is bundled as a CommonJS function and embedded in the
 * first as a string literal: scanning a string costs V8 almost nothing, parsing 700 KB of code
 * ~40 ms before the first line runs. src/handler/evaluate-stage-two.ts evaluates it once the
 * reads are written. Its source map goes beside the bundle, for profiles.
 */
function buildInTwoStages(outdir: string, metafile: boolean): { files: BundleFile[]; metafiles: [Metafile, Metafile] } {
  const options = { ...bundleOptions('connect-handler', outdir), metafile, write: false };
  const second = buildSync({
    ...options,
    entryPoints: [STAGE_TWO_ENTRY],
    outdir: undefined,
    outfile: `${outdir}/stage-two.js`,
    outExtension: undefined,
    format: 'cjs',
    banner: {},
    // A dynamic import() left in the second stage would need vm's importModuleDynamically, still
    // experimental (a non-JSON warning on stderr): bundled libraries' import("node:…") become require.
    supported: { 'dynamic-import': false },
    sourcemap: 'external',
  });
  const outputs = second.outputFiles ?? [];
  const code = outputs.find((file) => file.path.endsWith('.js'))?.text;
  const map = outputs.find((file) => file.path.endsWith('.map'))?.text;
  if (code === undefined || map === undefined) throw new Error('bundle: the second stage was not built');
  // On the wrapper's first line, so the map's line numbers still hold (line 1's columns shift).
  const text = `${STAGE_TWO_PREFIX}${code.replace(/\/\/# sourceMappingURL=.*\s*$/, '')}\n})`;
  const first = buildSync({
    ...options,
    entryPoints: undefined,
    stdin: {
      resolveDir: ROOT,
      sourcefile: STAGE_ONE_ENTRY,
      loader: 'ts',
      contents: [
        "import { connectHandlerInStages } from './src/handler/stage-one.ts';",
        "import { evaluateStageTwo } from './src/handler/evaluate-stage-two.ts';",
        `const STAGE_TWO = ${JSON.stringify(text)};`,
        'export const handler = await connectHandlerInStages(process.env, async () => evaluateStageTwo(STAGE_TWO, import.meta.url));',
      ].join('\n'),
    },
    outfile: `${outdir}/index.mjs`,
    outdir: undefined,
    outExtension: undefined,
  });
  const none: Metafile = { inputs: {}, outputs: {} };
  return {
    files: [...(first.outputFiles ?? []).map(({ path, contents }) => ({ path, contents })), { path: `${outdir}/${STAGE_TWO_MAP}`, contents: Buffer.from(map) }],
    metafiles: [second.metafile ?? none, first.metafile ?? none],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const entry of Object.keys(ENTRIES) as EntryName[]) {
    bundle(entry, `${ROOT}dist/${entry}`);
    console.log(`built dist/${entry}/index.mjs`);
  }
}
