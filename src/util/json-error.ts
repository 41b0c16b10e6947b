/** Turns a JSON.parse error into "invalid JSON at line L, column C: ...". */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /position (\d+)/.exec(message);
  if (match?.[1] === undefined) return `invalid JSON: ${message}`;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = Number(match[1]) - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`;
}
