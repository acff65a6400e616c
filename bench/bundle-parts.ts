/**
 * Issue 14's per-part bundle table: how much of the connect handler's bundle each part is (SDK
 * clients, their shared core, the Slack Web API client, Handlebars, the precompiled default
 * templates, own code), and what importing each part costs in a fresh Node process.
 *
 * Sizes come from esbuild's metafile of the product's own build (`bundleOptions`), summed over
 * every output, so they hold whatever the build's layout. A package's dependencies are put in
 * the part whose packages reach them in the metafile's import graph (p-queue is the Slack
 * client's because only @slack/web-api imports it); what several SDK clients reach is the
 * shared core. Times: one small bundle per part, built with the same options from an entry that
 * exports exactly the names own code imports from that part's packages (so it is tree-shaken as
 * in the product), imported by `node --input-type=module -e "await import(…)"` minus `node -e 0`,
 * fresh processes, interleaved, medians.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildSync, type Metafile } from 'esbuild';
import ts from 'typescript';
import { bundle, bundleOptions, connectHandlerMetafile, ROOT } from '../scripts/bundle.ts';
import { f, median } from './stats.ts';

export const PRECOMPILED = 'src/render/precompiled-templates.gen.ts';

/** The packages own code imports that stand for a part of their own. */
const ROOT_PACKAGES = {
  '@aws-sdk/client-ssm': 'AWS SDK: SSM client',
  '@aws-sdk/client-secrets-manager': 'AWS SDK: Secrets Manager client',
  '@aws-sdk/client-sns': 'AWS SDK: SNS client',
  '@aws-sdk/client-sqs': 'AWS SDK: SQS client',
  '@aws-sdk/client-dynamodb': 'AWS SDK: DynamoDB client',
  '@slack/web-api': 'Slack Web API client',
  handlebars: 'Handlebars',
} as const;

export const AWS_CORE = 'AWS SDK: shared core';
export const TEMPLATES = 'precompiled default templates';
export const OWN = 'own code (src/, the rest)';
/** Reached by parts of different kinds, or by own code alone. */
export const OTHER = 'other packages';

export type Part = (typeof ROOT_PACKAGES)[keyof typeof ROOT_PACKAGES] | typeof AWS_CORE | typeof TEMPLATES | typeof OWN | typeof OTHER;

/** The package a metafile input belongs to (the path after its last `node_modules/`), or undefined. */
export function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [scope, name] = path.slice(at + 'node_modules/'.length).split('/');
  if (!scope) return undefined;
  return scope.startsWith('@') && name ? `${scope}/${name}` : scope;
}

/** The part of a metafile input known from its path alone; undefined for a package's dependencies (see partsOf). */
export function partOfPath(path: string): Part | undefined {
  if (path === PRECOMPILED) return TEMPLATES;
  if (path.startsWith('src/')) return OWN;
  const pkg = packageOf(path);
  return pkg !== undefined && pkg in ROOT_PACKAGES ? ROOT_PACKAGES[pkg as keyof typeof ROOT_PACKAGES] : undefined;
}

const isAwsClient = (part: Part): boolean => part.startsWith('AWS SDK: ') && part !== AWS_CORE;

/**
 * Every input of a metafile with its part. A file whose path does not say (a dependency) belongs
 * to the part whose files reach it through the import graph without passing through own code or
 * another part's files; reached by several SDK clients only, it is the SDK's shared core.
 */
export function partsOf(inputs: Metafile['inputs']): Map<string, Part> {
  const known = new Map<string, Part>();
  for (const path of Object.keys(inputs)) {
    const part = partOfPath(path);
    if (part !== undefined) known.set(path, part);
  }
  const reachedBy = new Map<string, Set<Part>>();
  for (const [start, part] of known) {
    if (part === OWN || part === TEMPLATES) continue;
    const stack = [start];
    const seen = new Set(stack);
    while (stack.length > 0) {
      const path = stack.pop() as string;
      for (const edge of inputs[path]?.imports ?? []) {
        if (edge.external || seen.has(edge.path) || known.has(edge.path) || !inputs[edge.path]) continue;
        seen.add(edge.path);
        stack.push(edge.path);
        const parts = reachedBy.get(edge.path) ?? new Set<Part>();
        parts.add(part);
        reachedBy.set(edge.path, parts);
      }
    }
  }
  const out = new Map(known);
  for (const path of Object.keys(inputs)) {
    if (out.has(path)) continue;
    const parts = [...(reachedBy.get(path) ?? [])];
    if (parts.length === 1) out.set(path, parts[0] as Part);
    else if (parts.length > 1 && parts.every(isAwsClient)) out.set(path, AWS_CORE);
    else out.set(path, OTHER);
  }
  return out;
}

export interface PartSize {
  readonly part: Part | 'esbuild glue (banner, module wrappers)';
  readonly bytes: number;
  readonly packages: readonly string[];
}

/** Bytes in the output per part, summed over every output (source maps have no inputs); what no input accounts for is glue. */
export function sizesByPart(metafile: Metafile): PartSize[] {
  const parts = partsOf(metafile.inputs);
  const bytes = new Map<PartSize['part'], number>();
  const packages = new Map<PartSize['part'], Set<string>>();
  let glue = 0;
  for (const [name, output] of Object.entries(metafile.outputs)) {
    if (name.endsWith('.map')) continue;
    let accounted = 0;
    for (const [path, input] of Object.entries(output.inputs)) {
      const part = parts.get(path) ?? OTHER;
      bytes.set(part, (bytes.get(part) ?? 0) + input.bytesInOutput);
      accounted += input.bytesInOutput;
      const pkg = packageOf(path);
      if (pkg) packages.set(part, (packages.get(part) ?? new Set()).add(pkg));
    }
    glue += output.bytes - accounted;
  }
  const rows: PartSize[] = [...bytes.entries()].map(([part, n]) => ({ part, bytes: n, packages: [...(packages.get(part) ?? [])].sort() }));
  rows.push({ part: 'esbuild glue (banner, module wrappers)', bytes: glue, packages: [] });
  return rows.sort((a, b) => b.bytes - a.bytes);
}

/** Value imports of one TypeScript source by module: the names, or `*` for a namespace, default or dynamic import. Type-only imports are left out. */
export function valueImports(source: string, fileName = 'input.ts'): Map<string, Set<string>> {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Set<string>>();
  const add = (module: string, name: string) => out.set(module, (out.get(module) ?? new Set()).add(name));
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      const module = node.moduleSpecifier.text;
      const clause = node.importClause;
      if (!clause) add(module, '*');
      else {
        if (clause.name) add(module, 'default');
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) add(module, '*');
        if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) if (!element.isTypeOnly) add(module, (element.propertyName ?? element.name).text);
      }
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node.arguments[0].text, '*');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/**
 * An entry's text that exports `names` of `module` (`*`: the whole namespace, as a dynamic import
 * keeps it), so a bundle of it keeps what own code uses and no more.
 */
export function reexport(module: string, names: ReadonlySet<string>): string {
  const alias = module.replace(/[^A-Za-z0-9]/g, '_');
  if (names.has('*')) return `export * as ${alias} from ${JSON.stringify(module)};`;
  const list = [...names].sort().map((name) => (name === 'default' ? `default as ${alias}` : name));
  return `export { ${list.join(', ')} } from ${JSON.stringify(module)};`;
}

export interface PartTime {
  readonly label: string;
  readonly bytes: number;
  /** Median wall time of the importing process minus the median of `node -e 0`. */
  readonly importMs: number;
  /** The same in CPU time (user + system, all threads): less moved by other work on the machine. */
  readonly cpuMs: number;
}

export interface BundleParts {
  readonly sizes: PartSize[];
  readonly total: number;
  readonly times: PartTime[];
  readonly nodeAlone: number;
  readonly nodeAloneCpu: number;
  readonly runs: number;
  readonly node: string;
}

/** The child prints its own CPU time (µs) last, on a line of its own (the handler logs to stdout at init). */
const PRINT_CPU = "const u = process.cpuUsage(); process.stdout.write('\\nCPU ' + (u.user + u.system));";

/** Wall time of one fresh process, and the CPU time it reports. */
function timed(node: string, args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const out = spawnSync(node, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  const wall = performance.now() - started;
  const cpu = Number(/\nCPU (\d+)$/.exec(out.stdout)?.[1]) / 1000;
  if (out.status !== 0 || !Number.isFinite(cpu)) throw new Error(`${node} ${args.join(' ')} failed (exit ${out.status}): ${out.stderr.slice(0, 1000)}`);
  return { wall, cpu };
}

/** Builds `contents` as one bundle with the product's options; its path and size. */
function buildEntry(name: string, contents: string, outdir: string): { path: string; bytes: number } {
  const options = { ...bundleOptions('connect-handler', outdir) };
  delete options.entryPoints;
  delete options.outdir;
  const path = `${outdir}/${name}.mjs`;
  const result = buildSync({ ...options, stdin: { contents, resolveDir: ROOT, sourcefile: `${name}-entry.ts`, loader: 'ts' }, outfile: path, metafile: true });
  const output = result.metafile?.outputs[path.slice(ROOT.length)] ?? Object.entries(result.metafile?.outputs ?? {}).find(([out]) => !out.endsWith('.map'))?.[1];
  return { path, bytes: output?.bytes ?? Number.NaN };
}

/**
 * The table's figures: sizes from the connect handler's metafile, and import times of one bundle
 * per part (plus the combinations that explain them) on `node`, `runs` fresh processes each after
 * an uncounted round, taking turns.
 */
export function measureBundleParts(options: { node: string; runs: number; outdir: string }): BundleParts {
  // The product's own two-stage build (scripts/bundle.ts): its metafiles, and its files written
  // where the whole is imported below.
  const metafile = connectHandlerMetafile(`${options.outdir}/connect-handler`);
  bundle('connect-handler', `${options.outdir}/connect-handler`);
  const sizes = sizesByPart(metafile);
  const total = Object.entries(metafile.outputs).filter(([name]) => !name.endsWith('.map')).reduce((sum, [, output]) => sum + output.bytes, 0);

  // What own code imports from each part's packages, read from the sources the bundle holds.
  const imported = new Map<string, Set<string>>();
  for (const path of Object.keys(metafile.inputs)) {
    if (partOfPath(path) !== OWN) continue;
    for (const [module, names] of valueImports(readFileSync(`${ROOT}${path}`, 'utf8'), path)) {
      if (!(module in ROOT_PACKAGES)) continue;
      for (const name of names) imported.set(module, (imported.get(module) ?? new Set()).add(name));
    }
  }
  const entryOf = (modules: readonly string[]) =>
    modules
      .map((module) => {
        const names = imported.get(module);
        if (!names) throw new Error(`own code imports nothing from ${module} any more: update bench/bundle-parts.ts`);
        return reexport(module, names);
      })
      .join('\n');
  const clients = Object.keys(ROOT_PACKAGES).filter((module) => module.startsWith('@aws-sdk/'));
  const entries: { label: string; contents: string }[] = [
    ...Object.entries(ROOT_PACKAGES).map(([module, part]) => ({ label: `${part} (${module}${module.startsWith('@aws-sdk/') ? ', with the core it needs' : ''})`, contents: entryOf([module]) })),
    { label: 'AWS SDK: SSM + Secrets Manager clients (the two reads)', contents: entryOf(['@aws-sdk/client-ssm', '@aws-sdk/client-secrets-manager']) },
    { label: `AWS SDK: all ${clients.length} clients`, contents: entryOf(clients) },
    { label: TEMPLATES, contents: `export * from './${PRECOMPILED}';` },
    { label: 'every part above together (all but own code)', contents: `${entryOf(Object.keys(ROOT_PACKAGES))}\nexport * from './${PRECOMPILED}';` },
  ];
  const built = entries.map((entry, index) => ({ ...entry, ...buildEntry(`part-${index}`, entry.contents, options.outdir) }));
  const whole = `${options.outdir}/connect-handler/index.mjs`;
  const measured = [...built, { label: 'the whole connect handler (import + init, empty environment)', path: whole, bytes: total }];

  const importArgs = (path: string) => ['--no-warnings', '--input-type=module', '-e', `await import(${JSON.stringify(path)}); ${PRINT_CPU}`];
  const alone: { wall: number; cpu: number }[] = [];
  const samples = measured.map((): { wall: number; cpu: number }[] => []);
  for (let round = 0; round <= options.runs; round += 1) {
    const baseline = timed(options.node, ['-e', PRINT_CPU]);
    const imports = measured.map((entry) => timed(options.node, importArgs(entry.path)));
    if (round === 0) continue;
    alone.push(baseline);
    imports.forEach((sample, index) => samples[index]?.push(sample));
  }
  const nodeAlone = median(alone.map((x) => x.wall));
  const nodeAloneCpu = median(alone.map((x) => x.cpu));
  const version = spawnSync(options.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    sizes,
    total,
    times: measured.map((entry, index) => {
      const xs = samples[index] ?? [];
      return { label: entry.label, bytes: entry.bytes, importMs: median(xs.map((x) => x.wall)) - nodeAlone, cpuMs: median(xs.map((x) => x.cpu)) - nodeAloneCpu };
    }),
    nodeAlone,
    nodeAloneCpu,
    runs: options.runs,
    node: version,
  };
}

const kb = (bytes: number): string => f(bytes / 1024);

/** The two tables for BENCHMARKS.md. */
export function bundlePartsRows(result: BundleParts): string[] {
  const whole = result.times.at(-1);
  const together = result.times.at(-2);
  return [
    `Connect handler bundle by part (esbuild metafile of \`npm run build\`'s options, bytes in the output summed over all outputs; a package's dependencies go to the part whose packages import them):`,
    '',
    '| part | KiB | share | packages |',
    '| --- | --- | --- | --- |',
    ...result.sizes.map((s) => `| ${s.part} | ${kb(s.bytes)} | ${f((100 * s.bytes) / result.total)} % | ${s.packages.length > 8 ? `${s.packages.length} packages` : s.packages.join(', ')} |`),
    `| total | ${kb(result.total)} | 100 % | |`,
    '',
    `Parse and evaluate per part, ${result.node}: one bundle per row built with the same options from an entry exporting just the names own code imports (so tree-shaken alike), \`node -e "await import(…)"\` minus node doing nothing (${f(result.nodeAlone)} ms wall, ${f(result.nodeAloneCpu)} ms CPU), fresh processes taking turns, medians of ${result.runs}; CPU is the process's own user + system time, all threads, which other work on the machine moves less than wall time. Clients include the shared core they need, so rows overlap:`,
    '',
    '| bundle | KiB | import, wall (ms) | import, CPU (ms) |',
    '| --- | --- | --- | --- |',
    ...result.times.map((t) => `| ${t.label} | ${kb(t.bytes)} | ${f(t.importMs)} | ${f(t.cpuMs)} |`),
    ...(whole && together ? [`| own code and init, by difference (whole − every part together) | ${kb(whole.bytes - together.bytes)} | ${f(whole.importMs - together.importMs)} | ${f(whole.cpuMs - together.cpuMs)} |`] : []),
  ];
}
