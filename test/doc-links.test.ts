import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every relative link in the README, CONTRIBUTING.md and docs/*.md points at a file (and heading) that exist. */
const ROOT = join(import.meta.dirname, '..');
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The page without fenced code blocks and inline code, where brackets are not links. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of text.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m === null) continue;
    const base = (m[1] ?? '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function links(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

describe('links between the pages', () => {
  it('GitHub anchors', () => {
    expect([
      ...headingAnchors(
        '## The embedded engine (`--backend llama-cpp`)\n## OpenAI-compatible servers (llama.cpp server, vLLM, LM Studio)\n## Exit codes\n## Exit codes',
      ),
    ]).toEqual([
      'the-embedded-engine---backend-llama-cpp',
      'openai-compatible-servers-llamacpp-server-vllm-lm-studio',
      'exit-codes',
      'exit-codes-1',
    ]);
  });

  it.each(PAGES)('%s: every relative link resolves', (page) => {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const broken: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [path = '', anchor] = link.split('#');
      const target = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), path);
      if (!existsSync(target)) {
        broken.push(`${link} (no file ${relative(ROOT, target)})`);
        continue;
      }
      if (anchor === undefined || statSync(target).isDirectory()) continue;
      if (!headingAnchors(readFileSync(target, 'utf8')).has(anchor))
        broken.push(`${link} (no heading #${anchor})`);
    }
    expect(broken, `broken links in ${page}`).toEqual([]);
  });
});
