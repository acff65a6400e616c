import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { AWS_CORE, OTHER, OWN, packageOf, partOfPath, partsOf, reexport, sizesByPart, TEMPLATES, valueImports } from '../../bench/bundle-parts.ts';

type Inputs = Metafile['inputs'];
const edge = (path: string, kind: Metafile['inputs'][string]['imports'][number]['kind'] = 'import-statement') => ({ path, kind });

/** Real paths and edges from the connect handler's metafile, trimmed to a few files per part. */
const INPUTS: Inputs = {
  'src/handler/index.ts': { bytes: 1, imports: [edge('src/channels/slack.ts'), edge('src/render/compile.ts'), edge('src/sources/sessions.ts')] },
  'src/channels/slack.ts': { bytes: 1, imports: [edge('node_modules/@slack/web-api/dist/index.js')] },
  'src/render/compile.ts': { bytes: 1, imports: [edge('src/render/precompiled-templates.gen.ts'), edge('node_modules/handlebars/dist/cjs/handlebars.js', 'dynamic-import')] },
  'src/render/precompiled-templates.gen.ts': { bytes: 1, imports: [] },
  'src/sources/sessions.ts': { bytes: 1, imports: [edge('node_modules/@aws-sdk/client-dynamodb/dist-es/index.js'), edge('node_modules/@aws-sdk/client-ssm/dist-es/SSMClient.js')] },
  'node_modules/@slack/web-api/dist/index.js': { bytes: 1, imports: [edge('node_modules/@slack/web-api/dist/WebClient.js', 'require-call')] },
  'node_modules/@slack/web-api/dist/WebClient.js': {
    bytes: 1,
    imports: [{ path: 'node:os', kind: 'require-call', external: true }, edge('node_modules/p-queue/dist/index.js', 'require-call'), edge('node_modules/tslib/tslib.es6.mjs')],
  },
  'node_modules/p-queue/dist/index.js': { bytes: 1, imports: [edge('node_modules/p-queue/node_modules/eventemitter3/index.js', 'require-call')] },
  'node_modules/p-queue/node_modules/eventemitter3/index.js': { bytes: 1, imports: [] },
  'node_modules/handlebars/dist/cjs/handlebars.js': { bytes: 1, imports: [edge('scripts/empty-module.cjs', 'require-call')] },
  'scripts/empty-module.cjs': { bytes: 1, imports: [] },
  'node_modules/@aws-sdk/client-ssm/dist-es/SSMClient.js': { bytes: 1, imports: [edge('node_modules/@smithy/core/dist-es/index.js')] },
  'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': {
    bytes: 1,
    imports: [edge('node_modules/@smithy/core/dist-es/index.js'), edge('node_modules/@aws-sdk/middleware-endpoint-discovery/dist-es/index.js'), edge('node_modules/tslib/tslib.es6.mjs')],
  },
  'node_modules/@aws-sdk/middleware-endpoint-discovery/dist-es/index.js': { bytes: 1, imports: [edge('node_modules/mnemonist/lru-cache.js')] },
  'node_modules/mnemonist/lru-cache.js': { bytes: 1, imports: [] },
  'node_modules/@smithy/core/dist-es/index.js': { bytes: 1, imports: [] },
  'node_modules/tslib/tslib.es6.mjs': { bytes: 1, imports: [] },
};

describe('bench/bundle-parts: which part an input of the bundle is', () => {
  it('names the package of a path, nested node_modules and scopes included', () => {
    expect(packageOf('node_modules/@smithy/core/dist-es/index.js')).toBe('@smithy/core');
    expect(packageOf('node_modules/p-queue/node_modules/eventemitter3/index.js')).toBe('eventemitter3');
    expect(packageOf('node_modules/handlebars/dist/cjs/handlebars.js')).toBe('handlebars');
    expect(packageOf('src/base/config.ts')).toBeUndefined();
  });

  it('knows own code, the precompiled templates and the parts own code imports from their paths', () => {
    expect(partOfPath('src/render/precompiled-templates.gen.ts')).toBe(TEMPLATES);
    expect(partOfPath('src/render/default-templates.gen.ts')).toBe(OWN);
    expect(partOfPath('node_modules/@aws-sdk/client-secrets-manager/dist-es/index.js')).toBe('AWS SDK: Secrets Manager client');
    expect(partOfPath('node_modules/@slack/web-api/package.json')).toBe('Slack Web API client');
    expect(partOfPath('node_modules/p-queue/dist/index.js')).toBeUndefined();
  });

  it("puts dependencies in the part whose packages reach them: one part's alone, several SDK clients' in the core, anything mixed apart", () => {
    const parts = partsOf(INPUTS);
    expect(parts.get('node_modules/p-queue/dist/index.js')).toBe('Slack Web API client');
    expect(parts.get('node_modules/p-queue/node_modules/eventemitter3/index.js')).toBe('Slack Web API client');
    expect(parts.get('scripts/empty-module.cjs')).toBe('Handlebars');
    expect(parts.get('node_modules/mnemonist/lru-cache.js')).toBe('AWS SDK: DynamoDB client');
    expect(parts.get('node_modules/@smithy/core/dist-es/index.js')).toBe(AWS_CORE);
    expect(parts.get('node_modules/tslib/tslib.es6.mjs')).toBe(OTHER);
    expect(parts.get('src/sources/sessions.ts')).toBe(OWN);
    expect(parts.size).toBe(Object.keys(INPUTS).length);
  });

  it('sums bytes in the output per part over every output but source maps, the rest being glue', () => {
    const metafile: Metafile = {
      inputs: INPUTS,
      outputs: {
        'dist/connect-handler/index.mjs': {
          bytes: 1000,
          imports: [],
          exports: [],
          inputs: { 'src/handler/index.ts': { bytesInOutput: 100 }, 'node_modules/p-queue/dist/index.js': { bytesInOutput: 300 }, 'node_modules/@slack/web-api/dist/index.js': { bytesInOutput: 500 } },
        },
        'dist/connect-handler/stage-two.mjs': { bytes: 60, imports: [], exports: [], inputs: { 'src/render/precompiled-templates.gen.ts': { bytesInOutput: 50 } } },
        'dist/connect-handler/index.mjs.map': { bytes: 99_999, imports: [], exports: [], inputs: {} },
      },
    };
    expect(sizesByPart(metafile)).toEqual([
      { part: 'Slack Web API client', bytes: 800, packages: ['@slack/web-api', 'p-queue'] },
      { part: OWN, bytes: 100, packages: [] },
      { part: TEMPLATES, bytes: 50, packages: [] },
      { part: 'esbuild glue (banner, module wrappers)', bytes: 110, packages: [] },
    ].sort((a, b) => b.bytes - a.bytes));
  });
});

describe('bench/bundle-parts: the entry of a part', () => {
  it("reads own code's value imports, leaving type-only ones out", () => {
    const source = [
      "import {\n  WebAPIHTTPError,\n  WebClient,\n  type Logger,\n} from '@slack/web-api';",
      "import type Handlebars from 'handlebars';",
      "import type { HelperOptions } from 'handlebars';",
      "import { GetParametersCommand as Get, SSMClient } from '@aws-sdk/client-ssm';",
      "const { default: handlebars } = await import('handlebars');",
    ].join('\n');
    const imports = valueImports(source);
    expect([...imports.keys()].sort()).toEqual(['@aws-sdk/client-ssm', '@slack/web-api', 'handlebars']);
    expect([...(imports.get('@slack/web-api') ?? [])]).toEqual(['WebAPIHTTPError', 'WebClient']);
    expect([...(imports.get('@aws-sdk/client-ssm') ?? [])]).toEqual(['GetParametersCommand', 'SSMClient']);
    expect([...(imports.get('handlebars') ?? [])]).toEqual(['*']);
  });

  it('exports just those names, or the namespace a dynamic import keeps', () => {
    expect(reexport('@aws-sdk/client-ssm', new Set(['SSMClient', 'GetParametersCommand']))).toBe("export { GetParametersCommand, SSMClient } from \"@aws-sdk/client-ssm\";");
    expect(reexport('handlebars', new Set(['*']))).toBe('export * as handlebars from "handlebars";');
    expect(reexport('x-y', new Set(['default']))).toBe('export { default as x_y } from "x-y";');
  });
});
