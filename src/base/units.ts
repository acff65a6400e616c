/**
 * Byte counts and durations as people read them (contract section 11: `formatBytes`,
 * `formatDuration`, and the context's `duration`). Pure and total: anything that is not a
 * non-negative number formats as "", so a template never fails on an odd value.
 */

/**
 * A number from 0 to 2^53 - 1, from a number or from a string of plain decimal digits (the
 * connection log writes its counters as strings, so `{{formatBytes entry.ingress-bytes}}` works).
 * Larger values are no real byte count or duration, and would print in exponent notation.
 */
export function toCount(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  return parsed >= 0 && parsed <= Number.MAX_SAFE_INTEGER ? parsed : undefined;
}

// 2^53 - 1 bytes is 8 PiB, so no larger unit is ever needed.
const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `4.0 GiB`: IEC units, one decimal above bytes. */
export function formatBytes(value: unknown): string {
  const bytes = toCount(value);
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${Math.floor(bytes)} B`;
  let scaled = bytes / 1024;
  let unit = 0;
  // Move up a unit when rounding to one decimal would print 1024.0 of the smaller one.
  while (unit < BYTE_UNITS.length - 1 && Math.round(scaled * 10) / 10 >= 1024) {
    scaled /= 1024;
    unit += 1;
  }
  return `${scaled.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** `45s`, `3m 07s`, `2h 13m 05s`, `1d 2h 03m` (seconds dropped once days count); whole seconds, rounded down. */
export function formatDuration(value: unknown): string {
  const seconds = toCount(value);
  if (seconds === undefined) return '';
  const total = Math.floor(seconds);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (days > 0) return `${days}d ${hours}h ${pad2(minutes)}m`;
  if (hours > 0) return `${hours}h ${pad2(minutes)}m ${pad2(secs)}s`;
  if (minutes > 0) return `${minutes}m ${pad2(secs)}s`;
  return `${secs}s`;
}
