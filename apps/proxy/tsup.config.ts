import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.shared';

/** The admin page's build (turbo builds apps/dashboard before the proxy). */
const dashboardDist = fileURLToPath(new URL('../dashboard/dist/', import.meta.url));

export default defineConfig(
  packageBuild({
    // `cli` is what bin/switchyard.js loads (the ESM file). The embedded
    // store's worker thread is its own file, loaded by path from beside the
    // bundle (see store/embedded/worker-db.ts).
    entry: {
      index: 'src/index.ts',
      cli: 'src/cli.ts',
      'store-worker': 'src/store/embedded/store-worker.ts',
    },
    // The page ships inside the proxy's package as dist/ui (served at /ui; see src/ui/assets-dir.ts).
    async onSuccess() {
      if (!existsSync(`${dashboardDist}index.html`)) {
        throw new Error('apps/dashboard is not built: run `pnpm build` (turbo builds it first)');
      }
      cpSync(dashboardDist, fileURLToPath(new URL('./dist/ui/', import.meta.url)), {
        recursive: true,
      });
    },
  }),
);
