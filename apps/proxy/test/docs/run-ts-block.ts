import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { vi } from 'vitest';
import { type ResolveAddress, type Rewritten, rewriteAddresses } from './doc-addresses';
import type { DocBlock } from './doc-blocks';

/** What a TypeScript block did when run. */
export interface TsRun {
  rewritten: Rewritten;
  /** Every value the block printed (console.log arguments, stdout writes). */
  printed: unknown[];
}

/** Options for {@link runTsBlock}. */
export interface TsRunOptions {
  block: DocBlock;
  resolve: ResolveAddress;
  /** Where block files are written: inside the repository, so their imports resolve as a user's would. */
  dir: string;
  /** Modules earlier blocks of the same file declared with `module=NAME`: name → file. */
  modules: Map<string, string>;
  /** Environment the block sees (`HOSTED_VLLM_API_BASE`, …); the process's is restored afterwards. */
  env: Record<string, string>;
}

/**
 * Runs one TypeScript block as a module of its own, as a user would paste
 * it into a file: imports of `@switchyard/*` resolve to the workspace
 * sources, other packages from the proxy app's dependencies, and names
 * declared by an earlier `module=NAME` block to that block's file. Its
 * addresses point at the docs world; what it prints is captured.
 */
export async function runTsBlock(options: TsRunOptions): Promise<TsRun> {
  const { block } = options;
  const rewritten = rewriteAddresses(block.code, options.resolve);
  let code = rewritten.code;
  for (const [name, file] of options.modules) {
    code = code.replaceAll(`from '${name}'`, `from './${file}'`);
  }
  const file = `${block.file.replace(/[^\w]+/g, '-')}-${block.line}.ts`;
  await mkdir(options.dir, { recursive: true });
  await writeFile(join(options.dir, file), code);
  const moduleName = block.attrs.get('module');
  if (typeof moduleName === 'string') options.modules.set(moduleName, file);

  const printed: unknown[] = [];
  // Blocks set variables of their own too (`process.env.HOSTED_VLLM_API_KEY = …`): all are restored.
  const saved = { ...process.env };
  Object.assign(process.env, options.env);
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => void printed.push(...args));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await import(/* @vite-ignore */ join(options.dir, file));
  } finally {
    log.mockRestore();
    write.mockRestore();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  return { rewritten, printed };
}
