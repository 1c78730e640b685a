import { defineConfig } from 'tsup';

export default defineConfig({
  // The embedded store's worker thread is its own file, loaded by path (see store/embedded/worker-db.ts).
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'store-worker': 'src/store/embedded/store-worker.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});
