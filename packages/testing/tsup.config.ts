import { defineConfig } from 'tsup';
import { packageBuild } from '../../tooling/tsup.shared';

// `cli` is what bin/switchyard-emulator.js loads (the ESM file).
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] }));
