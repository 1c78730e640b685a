import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** One fenced code block of a Markdown file. */
export interface DocBlock {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** Line of the opening fence (1-based), as an editor shows it. */
  line: number;
  /** The language: the info string's first word, lower-cased (`ts`, `yaml`, `sh`, …). */
  lang: string;
  /** The info string's other words: markers such as `no-run`, `module=NAME`. */
  attrs: ReadonlyMap<string, string | true>;
  /** The block's text, without the fences. */
  code: string;
}

/** The kind of check a language gets; undefined for languages nothing runs (text, json, diagrams). */
export type BlockKind = 'ts' | 'yaml' | 'sh';

const KINDS: Record<string, BlockKind> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'ts',
  javascript: 'ts',
  mjs: 'ts',
  yaml: 'yaml',
  yml: 'yaml',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
};

/** How a block of this language is checked, if at all. */
export function blockKind(block: DocBlock): BlockKind | undefined {
  return KINDS[block.lang];
}

/**
 * The documentation whose blocks must stay true: the root README and
 * CONTRIBUTING, every guide under docs/, and every package's README.
 */
export function docFiles(): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  const docs = join(REPO_ROOT, 'docs');
  for (const name of readdirSync(docs).sort()) {
    if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  for (const group of ['packages', 'apps', 'examples']) {
    for (const name of readdirSync(join(REPO_ROOT, group)).sort()) {
      if (existsSync(join(REPO_ROOT, group, name, 'README.md'))) {
        files.push(`${group}/${name}/README.md`);
      }
    }
  }
  return files;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/** Every fenced block of one Markdown file (CommonMark fences: ``` or ~~~, three or more). */
export function readBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const words = open[3]!.trim().split(/\s+/).filter(Boolean);
    let end = i + 1;
    while (end < lines.length && !isClosing(lines[end]!, fence)) end++;
    const attrs = new Map<string, string | true>();
    for (const word of words.slice(1)) {
      const eq = word.indexOf('=');
      attrs.set(eq === -1 ? word : word.slice(0, eq), eq === -1 ? true : word.slice(eq + 1));
    }
    blocks.push({
      file,
      line: i + 1,
      lang: (words[0] ?? '').toLowerCase(),
      attrs,
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return blocks;
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === fence[0];
}

/** `file:line`, the name each block's test carries. */
export function blockName(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}

/** A repository-relative path for messages. */
export function repoPath(path: string): string {
  return relative(REPO_ROOT, path);
}
