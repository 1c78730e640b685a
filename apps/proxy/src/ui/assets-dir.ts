import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where the built admin page is: `dist/ui/` beside the bundled proxy (the
 * build copies `apps/dashboard/dist` there, so the published package
 * carries it). When the proxy runs from its TypeScript sources (tests,
 * `tsx`), the dashboard's own build folder in the workspace instead — and
 * only then, so an installed proxy never serves a folder outside its package.
 * Undefined when neither holds an `index.html` (the page was not built).
 */
export function defaultAssetsDir(moduleUrl: string = import.meta.url): string | undefined {
  const candidates = [new URL('./ui/', moduleUrl)];
  if (moduleUrl.endsWith('.ts')) candidates.push(new URL('../../../dashboard/dist/', moduleUrl));
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}
