import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeSlack, plainText, singleLine, truncateCodePoints, truncateUtf8 } from '../../src/base/text.ts';

describe('escapeSlack', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('<!channel> & <https://x|y> *b* _i_')).toBe('&lt;!channel&gt; &amp; &lt;https://x|y&gt; *b* _i_');
  });
  it('escapes & first, so entities are not double-decoded', () => {
    expect(escapeSlack('&lt;')).toBe('&amp;lt;');
  });
});

describe('singleLine', () => {
  it('removes controls and bidi or zero-width format characters; line breaks become spaces', () => {
    expect(singleLine('a\u0000b\u202Ec\u200Bd\u2066e\uFEFFf\r\ng\th\u007f')).toBe('abcdef g h');
  });
  it('keeps ordinary Unicode', () => {
    expect(singleLine('山田 太郎 🐱 café')).toBe('山田 太郎 🐱 café');
  });
});

describe('plainText', () => {
  it('keeps line breaks and tabs, normalises CRLF, removes other controls', () => {
    expect(plainText('a\r\nb\rc\td\u0007e\u202e')).toBe('a\nb\nc\tde');
  });
});

describe('truncateCodePoints', () => {
  it('leaves short text alone', () => {
    expect(truncateCodePoints('abc', 3)).toBe('abc');
  });
  it('cuts to the limit including the ellipsis', () => {
    expect(truncateCodePoints('abcdef', 4)).toBe('abc…');
  });
  it('counts code points, never splitting a surrogate pair', () => {
    const cats = '🐱'.repeat(10);
    const cut = truncateCodePoints(cats, 5);
    expect(Array.from(cut)).toHaveLength(5);
    expect(cut).toBe('🐱🐱🐱🐱…');
    expect(truncateCodePoints('🐱🐱', 2)).toBe('🐱🐱');
  });
  it('never exceeds the limit for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 50 }), (text, max) => {
        const cut = truncateCodePoints(text, max);
        expect(Array.from(cut).length).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
      }),
    );
  });
});

describe('truncateUtf8', () => {
  it('leaves text within the byte limit alone', () => {
    expect(truncateUtf8('日本', 6)).toBe('日本');
  });
  it('cuts on a character boundary and fits the limit', () => {
    const cut = truncateUtf8('日本語のテキスト', 10);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10);
    expect(cut).toBe('日本…');
  });
  it('never produces broken UTF-8 or exceeds the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 4, max: 60 }), (text, max) => {
        const cut = truncateUtf8(text, max);
        expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max);
        expect(cut.includes('\uFFFD') && !text.includes('\uFFFD')).toBe(false);
      }),
    );
  });
});
