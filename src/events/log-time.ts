/**
 * Connection log times are UTC `YYYY-MM-DD HH:MM:SS` (contract section 11). ISO-8601 with a `T`
 * and an optional `Z` or fraction is read too, in case the service ever writes that instead.
 */
const LOG_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/;

/** The instant a connection log time names, or undefined for anything else (`NA`, "", 2026-02-30 …). */
export function parseLogTime(text: string): Date | undefined {
  const match = LOG_TIME.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(Number(match[7] ?? 0) * 1000));
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a time that does not read back as written is not one.
  const same =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return same ? date : undefined;
}
