/**
 * Shared vitest settings. Tests run against the TypeScript sources of every
 * workspace package (no build step before a test run): each package's
 * `exports` map names its source file under the `@switchyard/source` condition, and the
 * aliases below send `@switchyard/*` imports there. Packaging is still checked
 * by `pnpm check` (build + publint).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

const SOURCE_CONDITION = '@switchyard/source';

type ExportEntry = string | Record<string, unknown>;

function workspaceAliases(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const group of ['packages', 'apps', 'examples']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir)) {
      const pkgPath = join(groupDir, name, 'package.json');
      if (!existsSync(pkgPath)) continue;
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
        name: string;
        exports?: Record<string, ExportEntry>;
      };
      for (const [subpath, entry] of Object.entries(pkg.exports ?? {})) {
        const source = typeof entry === 'object' ? entry[SOURCE_CONDITION] : undefined;
        if (typeof source !== 'string') continue;
        const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
        const escaped = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        aliases.push({
          find: new RegExp(`^${escaped}$`),
          replacement: join(groupDir, name, source),
        });
      }
    }
  }
  return aliases;
}

export const sharedAlias: { find: RegExp; replacement: string }[] = workspaceAliases();

export const sharedTest = {
  environment: 'node' as const,
  testTimeout: 20_000,
  hookTimeout: 20_000,
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
};
