import type { OptionSpec } from '../args.ts';
import type { CliIo, OptionValues } from '../io.ts';

/** One CLI command: its --help text, its options (besides --help and --region), and what it does. */
export interface Command {
  readonly usage: string;
  readonly options: OptionSpec;
  /** Resolves to the exit code; throws `UsageError` (exit 2) or `Failure` (exit 1) to stop with one line. */
  run(values: OptionValues, io: CliIo): Promise<number>;
}
