import { defineConfig } from 'vite';

/**
 * The page is served by the proxy under `/ui/`: every asset URL starts
 * there. No inline script or style and no data: URLs, so the page runs
 * under the proxy's strict content security policy; no source maps in the
 * build (the proxy does not serve them).
 */
export default defineConfig({
  base: '/ui/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
