/**
 * docs/configuration.md, generated from the config's JSON Schema (configJsonSchema()): one table per
 * section, one row per key with its path, type, default and the description from the zod schema.
 * Pure: `npm run docs:config` writes the result, test/config-doc.test.ts checks the committed page.
 */

/** The part of a JSON Schema node the page reads. */
interface SchemaNode {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** One row of the page: a key, and what the schema says of it. */
export interface ConfigDocRow {
  path: string;
  type: string;
  /** The default as JSON, or null where the key has none (it must then be given). */
  defaultJson: string | null;
  description: string;
}

/** The command that regenerates the page; named in the page and in the test's failure message. */
export const CONFIG_DOC_COMMAND = 'npm run docs:config';

/** Above this, a bound is a language limit (Number.MAX_SAFE_INTEGER), not a rule worth printing. */
const UNSHOWN_BOUND = 2 ** 53 - 1;

const PREAMBLE = [
  '# Configuration',
  '',
  `<!-- Generated from src/config/schema.ts by \`${CONFIG_DOC_COMMAND}\`: edit the schema's .describe() texts, not this page. -->`,
  '',
  'Precedence: **flags > environment > config file > defaults**.',
  '',
  '- Environment: `OLLAMA_HOST` (read as Ollama reads it: `host`, `host:port`, `:port`, `http(s)://host[:port]`;',
  '  default port 11434), `COSTBENCH_DB` (database file), `COSTBENCH_CONFIG` (config file),',
  "  `COSTBENCH_API_KEY` (an OpenAI-compatible server's key; `backend.apiKeyEnv` names another variable).",
  '- Config file: `--config path`, else `$COSTBENCH_CONFIG`, else `./costbench.config.json` when present.',
  '  [config.example.json](../config.example.json) lists every key at its default;',
  '  [config.schema.json](../config.schema.json) is the JSON Schema (editors show the descriptions through the',
  '  `$schema` line). `costbench config` prints the effective values, `costbench config --schema` the schema.',
  '- A bad value is reported with its key path, the value, where it came from and what is expected, e.g.',
  '  `costbench: config: run.repeat = 0 (from flag --repeat): expected a value >= 1` (exit 2).',
  '',
  'A key inside a list is written `list[].key`; a key of one variant only names it, e.g.',
  '`cost.load.peakToMean` (shape "peak-to-mean"). "—" in the default column: no default, the key must be given.',
].join('\n');

/** The whole page: preamble, then one table per top-level section, in the schema's order. */
export function formatConfigDoc(jsonSchema: Record<string, unknown>): string {
  const root = jsonSchema as SchemaNode;
  const parts = [PREAMBLE];
  for (const [name, node] of Object.entries(root.properties ?? {})) {
    if (name === '$schema') continue;
    parts.push(`## ${name}`, '');
    if (node.description !== undefined) parts.push(`${node.description}`, '');
    parts.push(formatRows(configDocRows(node, name)));
  }
  return `${parts
    .join('\n\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** Every key under `node`, depth first; objects with properties are expanded, not listed themselves. */
export function configDocRows(node: SchemaNode, path: string): ConfigDocRow[] {
  const variants = objectVariants(node);
  if (variants !== null) {
    const own: ConfigDocRow = {
      path,
      type: 'object',
      defaultJson: defaultOf(node),
      description: node.description ?? '',
    };
    return [own, ...mergeVariantRows(variants, path)];
  }
  if (node.properties !== undefined) {
    return Object.entries(node.properties).flatMap(([key, child]) => configDocRows(child, `${path}.${key}`));
  }
  const row: ConfigDocRow = {
    path,
    type: formatType(node),
    defaultJson: defaultOf(node),
    description: node.description ?? '',
  };
  const items = node.type === 'array' ? node.items : undefined;
  if (items !== undefined && (items.properties !== undefined || objectVariants(items) !== null)) {
    const itemRows =
      objectVariants(items) === null
        ? configDocRows(items, `${path}[]`)
        : mergeVariantRows(objectVariants(items) ?? [], `${path}[]`);
    return [row, ...itemRows];
  }
  return [row];
}

/** The object variants of a oneOf / anyOf (a discriminated union), or null when it is not one. */
function objectVariants(node: SchemaNode): SchemaNode[] | null {
  const alts = node.oneOf ?? node.anyOf;
  if (alts === undefined || !alts.every((a) => a.properties !== undefined)) return null;
  return alts;
}

/**
 * The keys of a union of objects, each once. A key in every variant with one meaning is one row; the
 * discriminant (a const per variant) lists each value with its description; a key only some variants
 * have names them.
 */
function mergeVariantRows(variants: SchemaNode[], path: string): ConfigDocRow[] {
  const names = [...new Set(variants.flatMap((v) => Object.keys(v.properties ?? {})))];
  const discriminant = names.find((n) => variants.every((v) => v.properties?.[n]?.const !== undefined));
  return names.flatMap((name) => {
    const having = variants.filter((v) => v.properties?.[name] !== undefined);
    const nodes = having.map((v) => v.properties?.[name] as SchemaNode);
    const first = nodes[0] as SchemaNode;
    if (name === discriminant) {
      return [
        {
          path: `${path}.${name}`,
          type: nodes.map((n) => JSON.stringify(n.const)).join(' \\| '),
          defaultJson: null,
          description: nodes.map((n) => `${JSON.stringify(n.const)}: ${n.description ?? ''}`).join('; '),
        },
      ];
    }
    const tag =
      having.length === variants.length || discriminant === undefined
        ? ''
        : `(${discriminant} ${having.map((v) => JSON.stringify(v.properties?.[discriminant]?.const)).join(' or ')}) `;
    const rows = configDocRows(first, `${path}.${name}`);
    return rows.map((r, i) => (i === 0 ? { ...r, description: `${tag}${r.description}` } : r));
  });
}

/** A node's type in a few words: `integer 1–1024`, `"auto" \| number`, `string[]`. */
export function formatType(node: SchemaNode): string {
  if (objectVariants(node) !== null) return 'object';
  const alts = node.anyOf ?? node.oneOf;
  if (alts !== undefined) return alts.map(formatType).join(' \\| ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.enum !== undefined) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (node.type === 'array') {
    const inner = node.items === undefined ? 'any' : formatType(node.items);
    const count =
      node.minItems !== undefined && node.minItems === node.maxItems
        ? ` of ${node.minItems}`
        : node.minItems !== undefined && node.minItems > 0
          ? ` (at least ${node.minItems})`
          : '';
    return `${inner.includes(' ') ? `(${inner})` : inner}[]${count}`;
  }
  if (Array.isArray(node.type)) return node.type.map((t) => formatType({ ...node, type: t })).join(' \\| ');
  if (node.type === 'object' || node.properties !== undefined) {
    if (typeof node.additionalProperties !== 'object') return 'object';
    return `object of ${formatType(node.additionalProperties)}`;
  }
  return `${node.type ?? 'any'}${formatBounds(node)}`;
}

/** Numeric bounds: `1–1024`, `≥ 0`, `> 0`, `≤ 24`. */
function formatBounds(node: SchemaNode): string {
  const max = node.maximum !== undefined && node.maximum < UNSHOWN_BOUND ? node.maximum : undefined;
  const low = node.minimum !== undefined && node.minimum > -UNSHOWN_BOUND ? node.minimum : undefined;
  if (low !== undefined && max !== undefined) return ` ${low}–${max}`;
  const parts: string[] = [];
  if (low !== undefined) parts.push(`≥ ${low}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`> ${node.exclusiveMinimum}`);
  if (max !== undefined) parts.push(`≤ ${max}`);
  if (node.exclusiveMaximum !== undefined) parts.push(`< ${node.exclusiveMaximum}`);
  return parts.length === 0 ? '' : ` ${parts.join(', ')}`;
}

function defaultOf(node: SchemaNode): string | null {
  return node.default === undefined ? null : JSON.stringify(node.default);
}

/** A table of rows; `|` in a cell is escaped so the table keeps its columns. */
function formatRows(rows: ConfigDocRow[]): string {
  const cell = (s: string): string => s.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
  const lines = ['| key | type | default | description |', '|---|---|---|---|'];
  for (const r of rows) {
    const def = r.defaultJson === null ? '—' : `\`${cell(r.defaultJson)}\``;
    lines.push(`| \`${r.path}\` | ${r.type} | ${def} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}
