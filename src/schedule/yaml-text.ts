/**
 * A small YAML writer for manifests: plain objects, arrays, strings, numbers, booleans. Every string
 * is written double-quoted in JSON's escapes, which YAML reads the same, so no value can turn into
 * another type ("yes", "0755", "1e3") or break the document. Pure.
 */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

function scalar(value: string | number | boolean | null): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function isBlock(value: YamlValue): value is YamlValue[] | { [key: string]: YamlValue } {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)
  );
}

function empty(value: YamlValue): string {
  return Array.isArray(value) ? '[]' : '{}';
}

function lines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isBlock(item))
        return [`${indent}- ${item !== null && typeof item === 'object' ? empty(item) : scalar(item)}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${(first ?? '').trimStart()}`, ...rest];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const name = /^[A-Za-z0-9_./-]+$/.test(key) ? key : JSON.stringify(key);
      if (isBlock(item)) return [`${indent}${name}:`, ...lines(item, `${indent}  `)];
      return [`${indent}${name}: ${item !== null && typeof item === 'object' ? empty(item) : scalar(item)}`];
    });
  }
  return [`${indent}${scalar(value)}`];
}

/** One YAML document per value, separated by `---`. */
export function toYamlDocuments(values: readonly YamlValue[]): string {
  return values.map((v) => lines(v, '').join('\n') + '\n').join('---\n');
}
