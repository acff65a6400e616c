/**
 * What every command shares: where it prints, and the two ways it can stop early. A
 * `UsageError` (exit 2) is the operator's mistake in how the CLI was called; a `Failure`
 * (exit 1) is a finding or an outside call that did not work. Both print one line, never a stack.
 */
import { UsageError } from '../local/files.ts';

export { UsageError };

export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export class Failure extends Error {}

/** Parsed options: strings, booleans, or absent. */
export type OptionValues = Record<string, string | boolean | undefined>;

export const EXIT = Object.freeze({ ok: 0, finding: 1, usage: 2 });
