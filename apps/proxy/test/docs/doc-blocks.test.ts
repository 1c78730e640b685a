import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockKind, blockName, type DocBlock, docFiles, REPO_ROOT, readBlocks } from './doc-blocks';
import { DOCS_MASTER_KEY, type DocsWorld, startDocsWorld } from './docs-world';
import { isCurlBlock, runShBlock } from './run-sh-block';
import { runTsBlock } from './run-ts-block';
import { runYamlBlock } from './run-yaml-block';

/**
 * Every code block of the documentation that is meant to run, runs: each
 * TypeScript block as a module against the emulators and the proxy, each
 * YAML block through the proxy's config loader (a whole config is started
 * and answers one request), each block of `curl` commands against the
 * proxy. A block that cannot run here says so in its info string
 * (```` ```ts no-run ````); the conventions are in CONTRIBUTING.md.
 */

/** Info-string words the runner knows. */
const MARKERS = new Set(['no-run', 'module', 'validate-only', 'tested-by']);

const all = docFiles().flatMap(readBlocks);
const checked = all.filter(block => blockKind(block) !== undefined);
const runnable = checked.filter(block => whyNotRun(block) === undefined);

/** Why the runner does not run a block itself, or undefined when it does. */
function whyNotRun(block: DocBlock): string | undefined {
  if (block.attrs.has('no-run')) return 'marked no-run';
  if (block.attrs.has('tested-by')) return `run by ${block.attrs.get('tested-by')}`;
  if (blockKind(block) === 'sh' && !isCurlBlock(block.code)) return 'not curl';
  return undefined;
}

let world: DocsWorld;
/** Files declared by `module=NAME` blocks, per Markdown file. */
const modules = new Map<string, Map<string, string>>();
const blocksDir = join(REPO_ROOT, 'apps/proxy/.doc-blocks');

beforeAll(async () => {
  world = await startDocsWorld(runnable);
}, 60_000);
afterAll(async () => {
  await world?.close();
  const { rm } = await import('node:fs/promises');
  await rm(blocksDir, { recursive: true, force: true });
});

describe('documentation blocks', () => {
  it('finds the blocks of every doc', () => {
    expect(docFiles()).toEqual(expect.arrayContaining(['README.md', 'docs/custom-provider.md']));
    expect(runnable.length).toBeGreaterThan(30);
  });

  it('leaves no block of a runnable language unrun and unmarked', () => {
    const problems: string[] = [];
    for (const block of checked) {
      for (const word of block.attrs.keys()) {
        if (!MARKERS.has(word)) problems.push(`${blockName(block)}: unknown marker "${word}"`);
      }
      const by = block.attrs.get('tested-by');
      if (by !== undefined) {
        const test = typeof by === 'string' ? join(REPO_ROOT, by) : '';
        if (!existsSync(test) || !readFileSync(test, 'utf8').includes(basename(block.file))) {
          problems.push(`${blockName(block)}: tested-by names no test that reads ${block.file}`);
        }
      }
      if (whyNotRun(block) === 'not curl') {
        problems.push(
          `${blockName(block)}: a ${block.lang} block that is not only curl commands; mark it \`${block.lang} no-run\``,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  for (const block of runnable) {
    const kind = blockKind(block)!;
    it(`${blockName(block)} (${block.lang})`, async () => {
      const dir = join(world.dir, `${block.file.replace(/\W+/g, '-')}-${block.line}`);
      if (kind === 'ts') await checkTs(block);
      else if (kind === 'yaml') await checkYaml(block, dir);
      else await checkSh(block, dir);
    }, 30_000);
  }
});

async function checkTs(block: DocBlock) {
  const fileModules = modules.get(block.file) ?? new Map<string, string>();
  modules.set(block.file, fileModules);
  const before = world.requestCount();
  const run = await runTsBlock({
    block,
    resolve: world.resolverFor(block.file),
    dir: blocksDir,
    modules: fileModules,
    env: { HOSTED_VLLM_API_BASE: world.vllm.url, TRITON_API_BASE: world.triton.url },
  });
  if (run.rewritten.services.size > 0 || /_API_BASE\b/.test(block.code)) {
    // It talks to a server: the server heard it.
    expect(world.requestCount()).toBeGreaterThan(before);
  }
  expect(
    run.printed.filter(value => value === undefined),
    'the block printed undefined: a field it reads is no longer there',
  ).toEqual([]);
}

async function checkYaml(block: DocBlock, dir: string) {
  const run = await runYamlBlock({
    block,
    resolve: world.resolverFor(block.file),
    dir,
    env: { LITELLM_MASTER_KEY: DOCS_MASTER_KEY, VLLM_API_BASE: world.vllm.url },
    validateOnly: block.attrs.has('validate-only'),
  });
  if (run.answered) {
    expect(run.answered, `${run.answered.path} with model ${run.answered.model}`).toMatchObject({
      status: 200,
    });
  }
}

async function checkSh(block: DocBlock, dir: string) {
  // curl fails on an HTTP error status (see runShBlock), so getting here means every answer was 2xx.
  const run = await runShBlock({ block, resolve: world.resolverFor(block.file), dir });
  expect(run.rewritten.services.has('proxy')).toBe(true);
  expect(run.stdout.length).toBeGreaterThan(0);
}
