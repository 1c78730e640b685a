import { defineConfig } from 'vitest/config';
import { sharedAlias, sharedTest } from '../../tooling/vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sharedAlias },
  test: {
    ...sharedTest,
    name: 'sdk-packed',
    include: ['test/packed/**/*.test.ts'],
    // Packs every public package once; `pnpm test:packed` has built them already.
    globalSetup: ['test/packed/pack-workspace.ts'],
    // npm installs and child processes on a busy machine: generous, never a speed target.
    hookTimeout: 600_000,
    testTimeout: 300_000,
  },
});
