/**
 * The build every published package shares: ESM (`dist/*.js` with `.d.ts`)
 * and CommonJS (`dist/*.cjs` with `.d.cts`) side by side, so `import` and
 * `require` both get code and types in their own format. The package.json
 * `exports` maps point each condition at its pair (see CONTRIBUTING.md).
 */
import type { Options } from 'tsup';

/** What differs between packages. */
export interface PackageBuildOptions {
  /** Entry points; each gets `<name>.js`, `<name>.cjs`, `<name>.d.ts` and `<name>.d.cts`. */
  entry: Options['entry'];
  /** Runs after both formats are written (e.g. copying files the package ships in `dist/`). */
  onSuccess?: Options['onSuccess'];
}

/** tsup options for a published package. */
export function packageBuild(options: PackageBuildOptions): Options {
  return {
    entry: options.entry,
    format: ['esm', 'cjs'],
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    // The sources use `import.meta.url` (createRequire for optional packages,
    // files shipped beside the bundle); in the CommonJS build it becomes the
    // `.cjs` file's own URL instead of an empty object.
    shims: true,
    ...(options.onSuccess !== undefined ? { onSuccess: options.onSuccess } : {}),
  };
}
