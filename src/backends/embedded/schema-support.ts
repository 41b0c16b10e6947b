/**
 * Which JSON Schema keywords node-llama-cpp's grammar enforces (its GbnfJsonSchema type). It
 * silently ignores the others (pattern, minimum…): costbench says so instead. Pure.
 */

/** The keywords node-llama-cpp 3.x turns into grammar rules (and annotations that need none). */
export const ENFORCED_SCHEMA_KEYWORDS: ReadonlySet<string> = new Set([
  'type',
  'const',
  'enum',
  'oneOf',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'maxProperties',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'format',
  '$defs',
  '$ref',
  'description',
  'title',
  '$schema',
  '$id',
  'examples',
  'default',
]);

/** Keys whose values are maps of names to schemas, not schemas. */
const SCHEMA_MAPS = new Set(['properties', '$defs']);

/** The keywords of a schema (at any depth) the grammar does not enforce, sorted. */
export function unenforcedKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    for (const [key, value] of Object.entries(node)) {
      if (!ENFORCED_SCHEMA_KEYWORDS.has(key)) found.add(key);
      if (SCHEMA_MAPS.has(key) && value !== null && typeof value === 'object') {
        for (const child of Object.values(value)) walk(child, depth + 1);
      } else if (key !== 'enum' && key !== 'const' && key !== 'examples' && key !== 'default')
        walk(value, depth + 1);
    }
  };
  walk(schema, 0);
  return [...found].sort();
}

/** The note for a schema with keywords the grammar ignores; null when it enforces all of it. */
export function schemaNote(schema: unknown): string | null {
  const missing = unenforcedKeywords(schema);
  if (missing.length === 0) return null;
  return (
    `JSON schema keywords ${missing.join(', ')} are not enforced (node-llama-cpp's grammar ignores them); ` +
    'the rest of the schema is'
  );
}
