import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';

/**
 * Evaluates the second stage that the bundle carries as text: a CommonJS function
 * `(require, module, exports) => …` written by scripts/bundle.ts. As text, it costs the first
 * stage a string to scan, not a program to parse: V8 parses it here, after the reads are sent.
 * Stack traces name it after the bundle file.
 */
export function evaluateStageTwo<T>(code: string, bundleUrl: string): T {
  const filename = `${fileURLToPath(bundleUrl)} (second stage)`;
  // No importModuleDynamically: scripts/bundle.ts leaves no import() in the second stage.
  const body = runInThisContext(code, { filename }) as (require: NodeJS.Require, module: { exports: unknown }, exports: unknown) => void;
  const module = { exports: {} as unknown };
  body(createRequire(bundleUrl), module, module.exports);
  return module.exports as T;
}
