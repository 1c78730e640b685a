/**
 * Builds the admin page from its sources into a temporary folder with the
 * dashboard's own Vite, so the browser tests run the page as it is now
 * (not whatever `pnpm build` left in apps/dashboard/dist).
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const dashboardDir = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

/** The folder of a fresh build (index.html and assets/). */
export async function buildDashboard(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'switchyard-dashboard-'));
  const vite = join(dashboardDir, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: dashboardDir },
  );
  return outDir;
}
