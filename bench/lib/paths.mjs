/**
 * Where the bench finds the built packages and its third-party tools. The
 * bench is plain `.mjs` outside the pnpm workspace, so it imports the built
 * `dist/` of each package by path and resolves tools from the packages that
 * already depend on them (no extra install for the common case).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The monorepo root. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The bench folder (its own package.json holds the on-demand peers). */
export const BENCH_DIR = join(ROOT, 'bench');
/** Git-ignored folder for JSON results and CPU profiles. */
export const RESULTS_DIR = join(BENCH_DIR, 'results');

/** Built entry points the bench runs against (`pnpm build` produces them). */
export const DIST = {
  testing: join(ROOT, 'packages/testing/dist/index.js'),
  sdk: join(ROOT, 'apps/sdk/dist/index.js'),
  proxyCli: join(ROOT, 'apps/proxy/dist/cli.js'),
};

/** Throws a clear error when a built file is missing; returns whether it exists otherwise. */
export function requireBuilt(file, what) {
  if (existsSync(file)) return file;
  throw new Error(
    `${what} is not built (${file.slice(ROOT.length + 1)} is missing): run "pnpm build" first`,
  );
}

/** Imports a built package entry point, failing with a "pnpm build first" hint. */
export async function importBuilt(file, what) {
  return import(pathToFileURL(requireBuilt(file, what)).href);
}

// undici and openai are dependencies of apps/proxy; autocannon is a root devDependency.
const fromProxy = createRequire(join(ROOT, 'apps/proxy/package.json'));
const fromRoot = createRequire(join(ROOT, 'package.json'));

/** Imports a package resolved from apps/proxy (undici, openai) or the root (autocannon). */
export async function importTool(name) {
  for (const req of [fromProxy, fromRoot]) {
    let path;
    try {
      path = req.resolve(name);
    } catch {
      continue;
    }
    return import(pathToFileURL(path).href);
  }
  throw new Error(`cannot resolve "${name}": run "pnpm install" at the repository root`);
}
