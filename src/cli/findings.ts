import type { CliIo } from './io.ts';
import type { Finding } from './validate.ts';

/** Prints each finding and a one-line summary; returns the counts the exit code depends on. */
export function reportFindings(findings: readonly Finding[], checked: readonly string[], io: CliIo): { errors: number; warnings: number } {
  for (const finding of findings) io.out(`${finding.severity}: ${finding.template}: ${finding.message}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  io.out(`${checked.length} template(s) checked (${checked.join(', ')}): ${errors} error(s), ${warnings} warning(s)`);
  return { errors, warnings };
}
