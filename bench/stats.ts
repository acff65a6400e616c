/** Small statistics for the benchmark's tables: nearest-rank quantiles, fixed-digit numbers. */

export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** A number for a table cell; `n/a` for NaN or Infinity. */
export const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
