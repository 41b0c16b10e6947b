/**
 * The shape of src/: data flows one way (backends and telemetry -> runner -> store -> analysis ->
 * report -> cli), so a folder imports only folders of a lower layer (or its own), and no file or
 * folder imports itself round a circle. Type-only imports count: a circle of types is still a
 * circle. A new folder must be given a layer here. The per-folder bans (no node:fs in analysis,
 * no store/ in report…) are in eslint.config.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/**
 * Each top-level folder of src/ (and `.` for the files at its root) with its layer: a file may
 * import from its own folder and from folders of a lower layer, never from a higher one or a
 * different folder of the same layer.
 */
const LAYERS: Record<string, number> = {
  '.': 0, // errors.ts
  util: 1,
  config: 2,
  types: 3,
  models: 4,
  suites: 4,
  telemetry: 4,
  cost: 4,
  roofline: 4,
  record: 4,
  backends: 5,
  inventory: 5,
  replay: 5,
  store: 6,
  runner: 7,
  analysis: 7,
  report: 8,
  schedule: 9,
  tables: 9,
  cli: 10,
};

/** Imports that stay although the layers forbid them, each with why. Keep it empty. */
const ALLOWED: readonly string[] = [];

const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The relative imports of a file's text, as paths relative to src/ (`.js` read as `.ts`). Pure. */
function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (spec !== undefined) out.push(relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
  }
  return out;
}

/** The folder a src/-relative path belongs to: its first segment, `.` at the root. */
function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/** The strongly connected parts with more than one member (Tarjan): every circle, once. Pure. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const part: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1) found.push(part.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const files = new Map(sourceFiles(SRC).map((f) => [relative(SRC, f), importsOf(f, readFileSync(f, 'utf8'))]));
const folderGraph = new Map<string, string[]>();
for (const [file, imports] of files) {
  const from = folderOf(file);
  const targets = folderGraph.get(from) ?? [];
  for (const to of imports.map(folderOf)) if (to !== from && !targets.includes(to)) targets.push(to);
  folderGraph.set(from, targets);
}

describe('the import graph of src/', () => {
  it('reads imports: static, type-only, re-exports and dynamic', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../types/b.js';",
      "export { c } from './c/c.js';",
      "const d = await import('../d.js');",
      "import 'node:fs';",
    ].join('\n');
    expect(importsOf(join(SRC, 'report', 'x.ts'), text), 'imports').toEqual([
      'report/a.ts',
      'types/b.ts',
      'report/c/c.ts',
      'd.ts',
    ]);
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
      'circles',
    ).toEqual([['a', 'b', 'c']]);
  });

  it('every folder has a layer', () => {
    expect(
      [...folderGraph.keys()].filter((f) => LAYERS[f] === undefined),
      'folders without a layer',
    ).toEqual([]);
  });

  it('no file imports itself round a circle', () => {
    expect(circles(files), 'file circles').toEqual([]);
  });

  it('no folder imports itself round a circle', () => {
    expect(circles(folderGraph), 'folder circles').toEqual([]);
  });

  it('no folder imports a folder of its own layer or a higher one', () => {
    const upward: string[] = [];
    for (const [file, imports] of files) {
      const from = folderOf(file);
      for (const target of imports) {
        const to = folderOf(target);
        if (to === from) continue;
        const edge = `${file} -> ${target}`;
        if ((LAYERS[to] ?? Infinity) >= (LAYERS[from] ?? -Infinity) && !ALLOWED.includes(edge))
          upward.push(edge);
      }
    }
    expect(upward, 'imports against the layers').toEqual([]);
  });
});
