import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config-error';

/**
 * The file to import for a local `providers:` entry. A file is itself; a
 * folder is a package: its package.json's `exports` (the `.` entry, under the
 * `import`, `node` or `default` condition), else its `main`, else `index.js`
 * — what Node does for a package name, which it refuses to do for a folder
 * path ("Directory import not supported").
 */
export function localModulePath(path: string, where: string): string {
  if (!existsSync(path) || !statSync(path).isDirectory()) return path;
  const manifestPath = join(path, 'package.json');
  if (!existsSync(manifestPath)) return join(path, 'index.js');
  let manifest: { exports?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${manifestPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const entry = exportTarget(manifest.exports);
  if (entry !== undefined) return join(path, entry);
  if (typeof manifest.main === 'string') return join(path, manifest.main);
  return join(path, 'index.js');
}

const CONDITIONS = ['import', 'node', 'default'] as const;

/** The target of the `.` export for an ESM import, or undefined when the manifest has no exports. */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const record = exports as Record<string, unknown>;
  // `exports` is either a subpath map ({".": …}) or the conditions of "." itself.
  const root = '.' in record ? record['.'] : record;
  return conditionTarget(root);
}

function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const condition of CONDITIONS) {
    const target = conditionTarget((value as Record<string, unknown>)[condition]);
    if (target !== undefined) return target;
  }
  return undefined;
}
