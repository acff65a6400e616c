import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_TARGETS, type AnyTemplatePart } from '../../src/base/contract.ts';
import { compileTemplate, loadTemplateEngine } from '../../src/render/compile.ts';
import { DEFAULT_TEMPLATES } from '../../src/render/default-templates.gen.ts';
import { PRECOMPILED_TEMPLATES } from '../../src/render/precompiled-templates.gen.ts';

beforeAll(async () => {
  await loadTemplateEngine();
});

// The same template, compiled from source at run time (a trailing newline makes the source
// differ, so the precompiled lookup misses) and from the build-time spec, must render alike.
describe('precompiled bundled defaults', () => {
  it('cover every bundled default', () => {
    expect(Object.keys(PRECOMPILED_TEMPLATES).sort()).toEqual(Object.keys(DEFAULT_TEMPLATES).sort());
  });

  it('render exactly as the same template compiled at run time, for any values', () => {
    const field = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(
        fc.record({ username: field, commonName: field, publicIp: field, platform: field, endpointId: field, groups: fc.array(field, { maxLength: 3 }), status: fc.constantFrom('connected', 'disconnected'), actionsEnabled: fc.boolean(), mention: fc.constantFrom('', '<!here>'), duration: field, ingressBytes: fc.integer(), handlerFault: fc.boolean(), failureReason: field }),
        (context) => {
          for (const [name, source] of Object.entries(DEFAULT_TEMPLATES)) {
            const target = COMPILE_TARGETS[name.split('/').pop() as AnyTemplatePart];
            const fromSpec = compileTemplate(source, target)(context, { timeZone: 'UTC' });
            const fromSource = compileTemplate(`${source}\n`, target)(context, { timeZone: 'UTC' });
            expect(fromSource.replace(/\n$/, '')).toBe(fromSpec);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
