/**
 * The build every published package shares: ESM (`dist/*.js` with `.d.ts`)
 * and CommonJS (`dist/*.cjs` with `.d.cts`) side by side, so `import` and
 * `require` both get code and types in their own format. The package.json
 * `exports` maps point each condition at its pair (see CONTRIBUTING.md).
 */
import type { Options } from 'tsup';

type TsupPlugin = NonNullable<Options['plugins']>[number];

/**
 * Fails the build when a bundle holds a character outside ASCII. esbuild
 * escapes them in strings and names, but not in the comments it keeps, and
 * one such character makes V8 hold the whole file's source as two-byte
 * text: four bundles with a dash or an ellipsis in a comment cost the proxy
 * 448 KB of memory for as long as it runs. Write comments in ASCII.
 */
const asciiBundles: TsupPlugin = {
  name: 'ascii-bundles',
  renderChunk(code, chunk) {
    if (!/\.c?js$/.test(chunk.path)) return;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at NUL on purpose.
    const at = code.search(/[^\u0000-\u007f]/);
    if (at === -1) return;
    const line = code.slice(0, at).split('\n').length;
    throw new Error(
      `${chunk.path}:${line}: ${JSON.stringify(code[at])} is outside ASCII; write it as ASCII (see tooling/tsup.shared.ts): ${code.slice(code.lastIndexOf('\n', at) + 1, at + 40).trim()}`,
    );
  },
};

/** What differs between packages. */
export interface PackageBuildOptions {
  /** Entry points; each gets `<name>.js`, `<name>.cjs`, `<name>.d.ts` and `<name>.d.cts`. */
  entry: Options['entry'];
  /** Runs after both formats are written (e.g. copying files the package ships in `dist/`). */
  onSuccess?: Options['onSuccess'];
  /**
   * Why this package's bundle may hold characters outside ASCII (see
   * asciiBundles): only for text that cannot be escaped, such as a
   * `String.raw` template.
   */
  nonAsciiBecause?: string;
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
    plugins: options.nonAsciiBecause === undefined ? [asciiBundles] : [],
    ...(options.onSuccess !== undefined ? { onSuccess: options.onSuccess } : {}),
  };
}
