import { defineConfig } from 'vitest/config';
import { sharedAlias, sharedTest } from '../../tooling/vitest.shared.ts';

export default defineConfig({
  resolve: { alias: sharedAlias },
  test: { ...sharedTest, name: 'kv-events' },
});
