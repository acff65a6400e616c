import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const problems = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath }))[0]?.messages.map((m) => m.ruleId) ?? [];

describe('import layering (eslint.config.js)', () => {
  it.each([
    ['src/render/x.ts', "import '../handler/connect.ts';"],
    ['src/base/x.ts', "import '../render/render.ts';"],
    ['src/channels/x.ts', "import '../pipeline/run.ts';"],
    ['src/pipeline/x.ts', "import '../handler/wiring.ts';"],
    ['src/handler/x.ts', "import '../worker/worker.ts';"],
    ['src/worker/x.ts', "import '../handler/wiring.ts';"],
  ])('refuses an upward or sideways import from %s', async (file, code) => {
    expect(await problems(file, code)).toContain('no-restricted-imports');
  });

  it.each([
    ['src/render/x.ts', "import '../base/text.ts';"],
    ['src/pipeline/x.ts', "import '../channels/channel.ts';"],
    ['src/handler/x.ts', "import '../pipeline/run.ts';"],
    ['src/cli/x.ts', "import '../handler/wiring.ts';"],
  ])('allows a downward import from %s', async (file, code) => {
    expect(await problems(file, code)).not.toContain('no-restricted-imports');
  });
});
