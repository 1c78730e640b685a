import { defineConfig } from 'vitest/config';
import { sharedAlias, sharedTest } from '../../tooling/vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sharedAlias },
  test: {
    ...sharedTest,
    name: 'sdk',
    // The packed-install test builds, packs and npm-installs; it runs on its own
    // afterwards (`test:packed`) so it neither slows nor is slowed by the rest.
    exclude: ['test/packed/**', 'node_modules/**'],
  },
});
