import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DOC_COMMAND, configDocRows, formatConfigDoc, formatType } from '../src/config/config-doc.js';
import { configJsonSchema } from '../src/config/json-schema.js';

const PAGE = join(import.meta.dirname, '..', 'docs', 'configuration.md');

describe('docs/configuration.md', () => {
  it('is the text generated from the config schema', () => {
    const committed = readFileSync(PAGE, 'utf8');
    expect(committed, `docs/configuration.md is stale: regenerate it with \`${CONFIG_DOC_COMMAND}\``).toBe(
      formatConfigDoc(configJsonSchema()),
    );
  });

  it('has one row per key of the schema, every one with a description', () => {
    const schema = configJsonSchema() as { properties: Record<string, Parameters<typeof configDocRows>[0]> };
    const rows = Object.entries(schema.properties)
      .filter(([name]) => name !== '$schema')
      .flatMap(([name, node]) => configDocRows(node, name));
    const paths = rows.map((r) => r.path);
    expect(new Set(paths).size, 'no key twice').toBe(paths.length);
    expect(paths).toContain('backend.threads');
    expect(paths).toContain('cost.hardware.purchasePrice');
    expect(paths).toContain('telemetry.meters[].supply');
    expect(paths).toContain('cost.load.peakToMean');
    expect(
      rows.filter((r) => r.description === '').map((r) => r.path),
      'keys without a description',
    ).toEqual([]);
  });
});

describe('formatConfigDoc pieces', () => {
  it('writes types with their bounds', () => {
    expect(formatType({ type: 'integer', minimum: 1, maximum: 1024 }), 'range').toBe('integer 1–1024');
    expect(
      formatType({ type: 'integer', minimum: 0, maximum: 2 ** 53 - 1 }),
      'safe-integer bound left out',
    ).toBe('integer ≥ 0');
    expect(
      formatType({ anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] }),
      'nullable',
    ).toBe('number > 0 \\| null');
    expect(formatType({ type: ['boolean', 'null'] }), 'type list').toBe('boolean \\| null');
    expect(
      formatType({ type: 'array', items: { type: 'number' }, minItems: 24, maxItems: 24 }),
      'fixed length',
    ).toBe('number[] of 24');
    expect(formatType({ type: 'object', additionalProperties: { type: 'number' } }), 'record').toBe(
      'object of number',
    );
  });

  it('lists a union of objects once per key, naming the variants a key belongs to', () => {
    const rows = configDocRows(
      {
        description: 'A union.',
        default: { kind: 'a' },
        oneOf: [
          {
            type: 'object',
            properties: {
              kind: { const: 'a', description: 'first' },
              x: { type: 'string', description: 'X.' },
            },
          },
          {
            type: 'object',
            properties: {
              kind: { const: 'b', description: 'second' },
              x: { type: 'string', description: 'X.' },
              y: { type: 'number', default: 1, description: 'Y.' },
            },
          },
        ],
      },
      'u',
    );
    expect(rows).toEqual([
      { path: 'u', type: 'object', defaultJson: '{"kind":"a"}', description: 'A union.' },
      { path: 'u.kind', type: '"a" \\| "b"', defaultJson: null, description: '"a": first; "b": second' },
      { path: 'u.x', type: 'string', defaultJson: null, description: 'X.' },
      { path: 'u.y', type: 'number', defaultJson: '1', description: '(kind "b") Y.' },
    ]);
  });
});
