import { defineConfig } from 'vitest/config';
import { sharedAlias, sharedTest } from '../../tooling/vitest.shared';

export default defineConfig({
  resolve: { alias: sharedAlias },
  test: { ...sharedTest, name: 'provider-vllm' },
});
