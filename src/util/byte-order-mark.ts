/**
 * Text with a leading UTF-8 byte-order mark removed: some Windows editors save JSON with one, and
 * JSON.parse refuses it. Pure.
 */
export function stripByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
