import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLocalTime } from '../../src/base/time.ts';

describe('formatLocalTime', () => {
  it('formats UTC without Intl exactly as Intl formats it', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        const parts: Record<string, string> = {};
        for (const part of intl.formatToParts(date)) parts[part.type] = part.value;
        expect(formatLocalTime(date, 'UTC')).toBe(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} UTC`);
      }),
    );
  });

  it('formats other zones with their offset', () => {
    expect(formatLocalTime(new Date('2026-11-28T15:04:05Z'), 'Asia/Tokyo')).toBe('2026-11-29 00:04:05 Asia/Tokyo');
  });
});
