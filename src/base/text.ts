/**
 * Pure text helpers shared by rendering and the channels. Client software and certificates
 * supply most event fields, so everything here assumes hostile input.
 */

// C0/C1 controls, and format characters that reorder or hide text (bidi overrides and
// isolates, zero-width joiners and spaces, the BOM): they can make "alice" look like "ecila".
const CONTROL_OR_FORMAT = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** One line of text: controls and invisible format characters removed, line breaks and tabs made spaces. */
export function singleLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').replace(CONTROL_OR_FORMAT, '');
}

/** Multi-line plain text: line breaks normalised to `\n`, tabs kept, other controls removed. */
export function plainText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LINES, '');
}

/** Slack mrkdwn escaping: the three characters Slack asks to be escaped, and nothing else. */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
