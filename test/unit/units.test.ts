import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../src/base/units.ts';
import { loadTemplateEngine } from '../../src/render/compile.ts';
import type { TemplateContext } from '../../src/render/context.ts';
import { renderTemplate } from '../../src/render/render.ts';

await loadTemplateEngine();

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1.0 MiB'],
    [12.3 * 1024 * 1024, '12.3 MiB'],
    [1234567, '1.2 MiB'],
    [7654321, '7.3 MiB'],
    [4 * 1024 ** 3, '4.0 GiB'],
    [5.5 * 1024 ** 4, '5.5 TiB'],
    [Number.MAX_SAFE_INTEGER, '8.0 PiB'],
    ['1536', '1.5 KiB'],
    [' 512 ', '512 B'],
  ])('%j -> %s', (value, expected) => {
    expect(formatBytes(value)).toBe(expected);
  });

  it.each([['NA'], [''], [null], [undefined], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 60], ['1e3'], ['-5'], ['12 MB'], [{}], [[1024]], [true]])(
    '%j is not a number: ""',
    (value) => {
      expect(formatBytes(value)).toBe('');
    },
  );

  it('always prints at most 1023.9 of a unit, one decimal above bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const text = formatBytes(n);
        const match = /^(\d+(?:\.\d)?) (B|KiB|MiB|GiB|TiB|PiB)$/.exec(text);
        expect(match).not.toBeNull();
        const [, amount = '', unit] = match ?? [];
        expect(unit === 'B').toBe(!amount.includes('.'));
        if (unit !== 'PiB') expect(Number(amount)).toBeLessThan(1024);
      }),
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.9, '59s'],
    [60, '1m 00s'],
    [187, '3m 07s'],
    [3600, '1h 00m 00s'],
    [7985, '2h 13m 05s'],
    [86_399, '23h 59m 59s'],
    [86_400, '1d 0h 00m'],
    [93_780, '1d 2h 03m'],
    [93_799, '1d 2h 03m'],
    [40 * 86_400, '40d 0h 00m'],
    ['7985', '2h 13m 05s'],
  ])('%j -> %s', (value, expected) => {
    expect(formatDuration(value)).toBe(expected);
  });

  it.each([['NA'], [''], [null], [undefined], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['2h'], [{}], [false]])('%j is not a number: ""', (value) => {
    expect(formatDuration(value)).toBe('');
  });

  it('reads back to the seconds it was given (to the minute once days count)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400 }), (seconds) => {
        const text = formatDuration(seconds);
        const unit = { d: 86_400, h: 3600, m: 60, s: 1 } as const;
        const total = [...text.matchAll(/(\d+)([dhms])/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit], 0);
        expect(total).toBe(seconds >= 86_400 ? seconds - (seconds % 60) : seconds);
      }),
    );
  });
});

describe('the formatBytes and formatDuration helpers', () => {
  // The helpers read any field; the connect context type is what renderTemplate is typed to.
  const context = { bytes: 1234567, seconds: 7985, text: '1536', duration: 'the field', entry: { 'ingress-bytes': '2048' } } as unknown as TemplateContext;
  const render = (template: string) => renderTemplate('slack', template, context, 'UTC');

  it.each([
    ['{{formatBytes bytes}}', '1.2 MiB'],
    ['{{formatBytes text}}', '1.5 KiB'],
    ['{{formatBytes entry.[ingress-bytes]}}', '2.0 KiB'],
    ['{{formatDuration seconds}}', '2h 13m 05s'],
    ['[{{formatBytes missing}}][{{formatDuration "soon"}}]', '[][]'],
    ['{{duration}}', 'the field'],
  ])('%s -> %s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });
});
