/**
 * Pure text helpers shared by rendering and the channels. Client software and certificates
 * supply most event fields, so everything here assumes hostile input.
 */

// C0/C1 controls, and format characters that reorder or hide text (bidi overrides and
// isolates, zero-width joiners and spaces, the BOM): they can make "alice" look like "ecila".
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

// Characters that fake or hide text without being controls: the line and paragraph separators
// (line breaks to some renderers, not to our one-line rules), the soft hyphen, Hangul fillers
// (blank-looking letters), tag characters (invisible, used to smuggle text) and noncharacters.
const INVISIBLE = /[\u00ad\u2028\u2029\u115f\u1160\u3164\uffa0\u{e0000}-\u{e007f}\ufdd0-\ufdef\ufffe\uffff\u{1fffe}\u{1ffff}\u{2fffe}\u{2ffff}\u{3fffe}\u{3ffff}\u{4fffe}\u{4ffff}\u{5fffe}\u{5ffff}\u{6fffe}\u{6ffff}\u{7fffe}\u{7ffff}\u{8fffe}\u{8ffff}\u{9fffe}\u{9ffff}\u{afffe}\u{affff}\u{bfffe}\u{bffff}\u{cfffe}\u{cffff}\u{dfffe}\u{dffff}\u{efffe}\u{effff}\u{ffffe}\u{fffff}\u{10fffe}\u{10ffff}]/gu;

/**
 * Well-formed UTF-16: a lone surrogate (which no serializer can encode, and which made the SNS
 * query serializer throw on every retry) becomes U+FFFD.
 */
export function wellFormed(value: string): string {
  return value.toWellFormed();
}

/** One line of text: controls, invisible and faking characters removed, line breaks and tabs made spaces. */
export function singleLine(value: string): string {
  return wellFormed(value).replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(CONTROL_OR_FORMAT, '').replace(INVISIBLE, '');
}

/** Multi-line plain text: line breaks normalised to `\n`, tabs kept, other controls and invisible characters removed. */
export function plainText(value: string): string {
  return wellFormed(value).replace(/\r\n?|\u2028|\u2029/g, '\n').replace(CONTROL_EXCEPT_LINES, '').replace(INVISIBLE, '');
}

/** Slack mrkdwn escaping: the three characters Slack asks to be escaped, and nothing else. */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Mrkdwn has no escape for its formatting characters, so in an inserted value they become
 * look-alikes: a backtick cannot end the template's code span, an asterisk or a tilde cannot
 * end its bold or strike. (`_` is left: common in usernames, and it only starts italics at a
 * word boundary.)
 */
export function defuseMrkdwn(value: string): string {
  return value.replace(/`/g, '\u02cb').replace(/\*/g, '\u2217').replace(/~/g, '\u223c');
}

/**
 * At most `max` UTF-16 code units, cut on a code point boundary and ending in `…` when cut. SNS
 * says a subject must be "less than 100 characters" without saying which characters; counting
 * UTF-16 units is the strictest reading that matters (an emoji is two of them), so a subject
 * cut this way is also under 100 code points and under 100 Java characters.
 */
export function truncateUtf16(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max <= 0) return '';
  let end = max - 1;
  // Never split a surrogate pair.
  if (end > 0 && /[\ud800-\udbff]/.test(value[end - 1] ?? '')) end -= 1;
  return `${value.slice(0, end)}…`;
}

/** At most `max` code points, the last one `…` when cut. */
export function truncateCodePoints(value: string, max: number): string {
  if (max <= 0) return '';
  // Fast path: a string of at most max UTF-16 units has at most max code points.
  if (value.length <= max) return value;
  const points = Array.from(value);
  if (points.length <= max) return value;
  return `${points.slice(0, max - 1).join('')}…`;
}

/** At most `maxBytes` bytes of UTF-8, cut on a character boundary and ending in `…` when cut. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') <= maxBytes) return value;
  const ellipsis = '…';
  const budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  if (budget <= 0) return '';
  const bytes = Buffer.from(value, 'utf8');
  let end = budget;
  // Step back over UTF-8 continuation bytes (10xxxxxx) so no character is split.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8') + ellipsis;
}

/**
 * The inside of a JSON string literal for `value` (no surrounding quotes): `"`, `\` and control
 * characters escaped, and U+2028/U+2029 too (valid in JSON, but line breaks to JavaScript
 * source and some parsers), so the text can neither end the string nor add JSON after it.
 */
export function escapeJsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
