import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every package and example with its own vitest config is a project.
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'examples/*/vitest.config.ts',
    ],
  },
});
