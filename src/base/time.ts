/** `YYYY-MM-DD HH:mm:ss Zone` for an instant, in an IANA zone, via Intl (no tz database shipped). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    // Throws RangeError for an unknown zone; callers decide what that means.
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

export function formatLocalTime(instant: Date, timeZone: string): string {
  // UTC needs no time zone data: loading Intl's costs a cold start about 11 ms.
  if (timeZone === 'UTC') return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${timeZone}`;
}

/** A Date from an ISO string, epoch milliseconds or a Date; undefined when it is none of these. */
export function toInstant(value: unknown): Date | undefined {
  const date =
    value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
