/**
 * A tiny seeded PRNG and mutators for fuzzing the input files: JSON trees edited by path, and
 * bytes truncated, flipped or salted with garbage. Deterministic: the same seed gives the same cases.
 */

/** A JSON value as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Keys and indices from the root to a node. */
export type JsonPath = readonly (string | number)[];

/** A seeded pseudo-random source. */
export interface Rng {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Uniform integer in [0, max). */
  int: (max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

/** mulberry32: 32 bits of state, good enough to spread cases, and the same on every platform. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number): number => Math.floor(next() * max);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
    chance: (p) => next() < p,
  };
}

/** A seed for one stream, derived from the run's seed and a name (FNV-1a over both). */
export function deriveSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of name) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash >>> 0;
}

const RAW_MARK = '\u0000raw:';

/**
 * A placeholder for JSON text that a tree cannot hold (1e400, a 10,000-deep array, `NaN`):
 * `stringify` writes the text itself where the placeholder is.
 */
export function rawJson(text: string): string {
  return `${RAW_MARK}${encodeURIComponent(text)}`;
}

/** JSON.stringify, with rawJson placeholders replaced by their text. */
export function stringify(value: Json, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/"\\u0000raw:([^"]*)"/g, (_, text: string) =>
    decodeURIComponent(text),
  );
}

/** JSON text of an array (or object) nested `depth` levels deep. */
export function deepJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

/** Every node's path, the root's ([]) first. */
export function nodePaths(value: Json, path: JsonPath = []): JsonPath[] {
  const children = Array.isArray(value)
    ? value.flatMap((child, i) => nodePaths(child, [...path, i]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, child]) => nodePaths(child, [...path, key]))
      : [];
  return [path, ...children];
}

/** The node at a path, or undefined. */
export function getAt(root: Json, path: JsonPath): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[Number(key)] : Object.hasOwn(node, key) ? node[String(key)] : undefined;
  }
  return node;
}

/** "tasks.*.id" for ["tasks", 3, "id"]: the path with indices as "*", to match rule tables. */
export function pathPattern(path: JsonPath): string {
  return path.map((key) => (typeof key === 'number' ? '*' : key)).join('.');
}

type Container = Json[] | { [key: string]: Json };

function editAt(root: Json, path: JsonPath, edit: (parent: Container, key: string | number) => void): Json {
  const copy = structuredClone(root);
  const parentPath = path.slice(0, -1);
  const parent = getAt(copy, parentPath);
  const key = path[path.length - 1];
  if (key === undefined || parent === null || typeof parent !== 'object')
    throw new Error(`no parent at ${parentPath.join('.')}`);
  edit(parent, key);
  return copy;
}

/** A copy with the node at `path` set (an own property even for "__proto__"). */
export function setAt(root: Json, path: JsonPath, value: Json): Json {
  if (path.length === 0) return structuredClone(value);
  return editAt(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent[Number(key)] = value;
    else
      Object.defineProperty(parent, String(key), {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  });
}

/** A copy without the node at `path` (an array element is spliced out). */
export function deleteAt(root: Json, path: JsonPath): Json {
  return editAt(root, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[String(key)];
  });
}

/** The JSON type names used to pick a value of another type. */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

export function typeOf(value: Json): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'boolean' | 'number' | 'string' | 'object';
}

/** Values of every type, odd ones included, to put where another type belongs. */
export const VALUES_BY_TYPE: Readonly<Record<JsonType, readonly Json[]>> = {
  null: [null],
  boolean: [true, false],
  number: [0, -1, 1.5, -0.000001, 1e308, 2 ** 53 + 1, rawJson('1e400'), rawJson('-1e400')],
  string: [
    '',
    'x',
    'NaN',
    'Infinity',
    '-1',
    '1e999',
    'null',
    'true',
    '[]',
    '{}',
    '\u0000',
    'a\nb',
    '\u202e\ud83d\udca5',
  ],
  array: [[], [null], [1, 'a'], [[[]]], [{}]],
  object: [{}, { x: 1 }, { '': null }, { 'a\nb': [] }],
};

/** A value whose JSON type is none of `allowed`. */
export function valueOfOtherType(rng: Rng, allowed: readonly JsonType[]): Json {
  const types = (Object.keys(VALUES_BY_TYPE) as JsonType[]).filter((t) => !allowed.includes(t));
  return rng.pick(VALUES_BY_TYPE[rng.pick(types)]);
}

/** Odd property names: empty, spaces, control characters, prototype names, non-Latin, emoji. */
export const ODD_KEYS: readonly string[] = [
  'extra',
  '',
  ' ',
  'Id',
  'id ',
  '__proto__',
  'constructor',
  'toString',
  'a\nb',
  'a\r\nb',
  'ключ',
  '\u0000',
  '💥',
  'x'.repeat(300),
  '$ref',
];

/**
 * Where a JSON text can be hit: `structural` are the offsets of its punctuation and string quotes,
 * `inString` the offsets where bytes inserted land inside a string's content (not in an escape).
 */
export function scanJsonText(text: string): { structural: number[]; inString: number[] } {
  const structural: number[] = [];
  const inString: number[] = [];
  let quoted = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (!quoted) {
      if (char === '"' || /[{}[\]:,]/.test(char)) structural.push(i);
      if (char === '"') inString.push(i + 1);
      quoted = char === '"';
    } else if (escaped) {
      escaped = false;
    } else if (char === '\\') {
      escaped = true;
    } else if (char === '"') {
      structural.push(i);
      quoted = false;
    } else {
      inString.push(i + 1);
    }
  }
  return { structural, inString };
}

/** The first `length` bytes. */
export function truncateBytes(bytes: Buffer, length: number): Buffer {
  return bytes.subarray(0, length);
}

/** `inserted` put in at `offset`. */
export function insertBytes(bytes: Buffer, offset: number, inserted: readonly number[]): Buffer {
  return Buffer.concat([bytes.subarray(0, offset), Buffer.from(inserted), bytes.subarray(offset)]);
}

/** The byte at `offset` replaced. */
export function replaceByte(bytes: Buffer, offset: number, byte: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] = byte;
  return copy;
}

/** `length` random bytes. */
export function randomBytes(rng: Rng, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => rng.int(256)));
}

/** Bytes that are never valid UTF-8 where they stand: a lone continuation, a cut sequence, an overlong form, a surrogate. */
export const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Bytes to salt a file with: control characters, stray punctuation, a NUL, invalid UTF-8. */
export const GARBAGE_BYTES: readonly number[] = [
  0x00, 0x01, 0x07, 0x1b, 0x7f, 0x23, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x27, 0xff, 0xc3,
];

/** The UTF-8 byte order mark. */
export const BOM: readonly number[] = [0xef, 0xbb, 0xbf];

// ---------------------------------------------------------------------------------------------
// Mutators that break a valid example: its tree by rules, its text until it is no longer JSON.

/** Rules about a kind's tree: which nodes take which types, which keys are required or open. */
export interface TreeRules {
  /** Types a node takes besides the example's (path pattern -> types). */
  alsoAccepts: Readonly<Record<string, readonly JsonType[]>>;
  /** Patterns of nodes (and their subtrees) that take any value: left alone. */
  anyValue: readonly string[];
  /** Object nodes that take any key (records), with the values they take: numbers, or anything. */
  openObjects: Readonly<Record<string, 'number' | 'any'>>;
}

function isUnder(pattern: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => pattern === p || pattern.startsWith(`${p}.`));
}

function showPath(path: JsonPath): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** A node of the example replaced by a value of a type it does not take. */
export function wrongType(rng: Rng, base: Json, rules: TreeRules): { tree: Json; label: string } {
  const paths = nodePaths(base).filter((p) => p.length > 0 && !isUnder(pathPattern(p), rules.anyValue));
  const path = rng.pick(paths);
  const current = getAt(base, path) ?? null;
  const value = valueOfOtherType(rng, [typeOf(current), ...(rules.alsoAccepts[pathPattern(path)] ?? [])]);
  return {
    tree: setAt(base, path, value),
    label: `wrong type: ${showPath(path)} = ${stringify(value).slice(0, 60)}`,
  };
}

/** An odd key added to an object that takes only known keys. */
export function unknownKey(rng: Rng, base: Json, rules: TreeRules): { tree: Json; label: string } {
  const objects = nodePaths(base).filter(
    (p) =>
      typeOf(getAt(base, p) ?? null) === 'object' &&
      !isUnder(pathPattern(p), rules.anyValue) &&
      rules.openObjects[pathPattern(p)] !== 'any',
  );
  const path = rng.pick(objects);
  const open = rules.openObjects[pathPattern(path)] === 'number';
  const key = open ? `k${rng.int(100)}` : rng.pick(ODD_KEYS);
  const existing = getAt(base, [...path, key]);
  const value = open ? valueOfOtherType(rng, ['number']) : rng.pick<Json>([1, 'x', null, [], {}, true]);
  if (existing !== undefined && !open) return unknownKey(rng, base, rules);
  return {
    tree: setAt(base, [...path, key], value),
    label: `unknown key ${JSON.stringify(key)} in ${showPath(path)}`,
  };
}

/** A 2,000 to 20,000 levels deep array or object where a scalar belongs, or under an unknown key. */
export function deepValue(rng: Rng, base: Json, rules: TreeRules): { tree: Json; label: string } {
  const depth = rng.pick([2_000, 8_000, 20_000]);
  const kind = rng.pick(['array', 'object'] as const);
  const raw = rawJson(deepJson(depth, kind));
  if (rng.chance(0.5)) {
    const objects = nodePaths(base).filter(
      (p) =>
        typeOf(getAt(base, p) ?? null) === 'object' &&
        !isUnder(pathPattern(p), [...rules.anyValue, ...Object.keys(rules.openObjects)]),
    );
    const path = [...rng.pick(objects), 'deep'];
    return { tree: setAt(base, path, raw), label: `${depth}-deep ${kind} at unknown key ${showPath(path)}` };
  }
  const takes = (p: JsonPath): JsonType[] => [
    typeOf(getAt(base, p) ?? null),
    ...(rules.alsoAccepts[pathPattern(p)] ?? []),
  ];
  const scalars = nodePaths(base).filter(
    (p) =>
      p.length > 0 &&
      !isUnder(pathPattern(p), rules.anyValue) &&
      takes(p).every((t) => t !== 'array' && t !== 'object'),
  );
  const path = rng.pick(scalars);
  return { tree: setAt(base, path, raw), label: `${depth}-deep ${kind} at ${showPath(path)}` };
}

/** Whether a text is no longer JSON (JSONL: some non-blank line is not), as the CLI decodes it. */
export function syntaxBroken(bytes: Buffer, jsonl: boolean): boolean {
  const text = bytes.toString('utf8');
  const bodies = jsonl
    ? text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
    : [text];
  return bodies.some((body) => {
    try {
      JSON.parse(body);
      return false;
    } catch {
      return true;
    }
  });
}

type TextMutator = (rng: Rng, bytes: Buffer) => { bytes: Buffer; label: string };

export const TEXT_MUTATORS: Readonly<Record<string, TextMutator>> = {
  truncate: (rng, bytes) => {
    const at = 1 + rng.int(bytes.length - 1);
    return { bytes: truncateBytes(bytes, at), label: `truncated at byte ${at} of ${bytes.length}` };
  },
  garbage: (rng, bytes) => {
    const at = rng.int(bytes.length + 1);
    const inserted = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(GARBAGE_BYTES));
    return {
      bytes: insertBytes(bytes, at, inserted),
      label: `garbage ${Buffer.from(inserted).toString('hex')} inserted at byte ${at}`,
    };
  },
  flip: (rng, bytes) => {
    const at = rng.int(bytes.length);
    const byte = (bytes[at] ?? 0) ^ (1 + rng.int(255));
    return { bytes: replaceByte(bytes, at, byte), label: `byte ${at} flipped to 0x${byte.toString(16)}` };
  },
  structural: (rng, bytes) => {
    const at = rng.pick(scanJsonText(bytes.toString('latin1')).structural);
    const byte = rng.pick([0x23, 0x00, 0x7f, 0xff, 0x20, 0x27]);
    return {
      bytes: replaceByte(bytes, at, byte),
      label: `punctuation at byte ${at} replaced by 0x${byte.toString(16)}`,
    };
  },
  'invalid UTF-8 between tokens': (rng, bytes) => {
    const at = rng.pick(scanJsonText(bytes.toString('latin1')).structural);
    const seq = rng.pick(INVALID_UTF8);
    return {
      bytes: insertBytes(bytes, at, seq),
      label: `invalid UTF-8 ${Buffer.from(seq).toString('hex')} before byte ${at}`,
    };
  },
};

/** A text mutation that leaves the text no longer JSON; mutations that happen to stay valid are drawn again. */
export function brokenText(
  rng: Rng,
  bytes: Buffer,
  jsonl: boolean,
  name: string,
): { bytes: Buffer; label: string } {
  const mutate = TEXT_MUTATORS[name];
  if (mutate === undefined) throw new Error(`no mutator ${name}`);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const mutated = mutate(rng, bytes);
    if (syntaxBroken(mutated.bytes, jsonl)) return mutated;
  }
  throw new Error(`${name}: no broken text in 200 tries`);
}
