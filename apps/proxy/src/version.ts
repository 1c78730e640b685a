import { readFileSync } from 'node:fs';

/**
 * The installed proxy's version, from its package.json — one folder above
 * both `src/` and the bundle in `dist/`, so it is right from the sources, the
 * ESM build and the CommonJS build alike (and never drifts from a constant).
 */
export function proxyVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
