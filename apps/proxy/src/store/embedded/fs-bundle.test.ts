import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leanFsBundle, parseBundleLayout, unusedAfterInitdb } from './fs-bundle';

const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
const bundle = readFileSync(join(dist, 'pglite.data'));
const loader = readFileSync(join(dist, 'pglite.js'), 'utf8');

describe('the lean file-system bundle', () => {
  it('finds the layout of the installed PGlite (else the store silently keeps 6 MB more)', () => {
    const layout = parseBundleLayout(loader, statSync(join(dist, 'pglite.data')).size);
    expect(layout?.length).toBeGreaterThan(100);
    expect(layout?.some(e => e.filename === '/pglite/share/postgresql/timezone/UTC')).toBe(true);
  });

  it('has the bundle’s size, the kept files’ bytes and zeros in place of the rest', async () => {
    const lean = await leanFsBundle();
    expect(lean).toBeDefined();
    const bytes = new Uint8Array(await lean!.arrayBuffer());
    expect(bytes.byteLength).toBe(bundle.byteLength);
    let unused = 0;
    for (const entry of parseBundleLayout(loader, bundle.byteLength)!) {
      const got = bytes.subarray(entry.start, entry.end);
      if (unusedAfterInitdb(entry.filename)) {
        unused += got.length;
        expect(got.every(b => b === 0)).toBe(true);
      } else expect(Buffer.compare(got, bundle.subarray(entry.start, entry.end))).toBe(0);
    }
    // The point of it: most of the 6 MB is never read by a store that exists.
    expect(unused).toBeGreaterThan(4_000_000);
  });

  it('keeps what a running store reads: PL/pgSQL, time zones, text search stop words', () => {
    for (const kept of [
      '/pglite/lib/postgresql/plpgsql.so',
      '/pglite/share/postgresql/extension/plpgsql.control',
      '/pglite/share/postgresql/timezone/UTC',
      '/pglite/share/postgresql/timezonesets/Default',
      '/pglite/share/postgresql/tsearch_data/english.stop',
      '/home/postgres/.pgpass',
    ])
      expect(unusedAfterInitdb(kept), kept).toBe(false);
    for (const unused of [
      '/pglite/share/postgresql/postgres.bki',
      '/pglite/share/postgresql/system_views.sql',
      '/pglite/share/postgresql/postgresql.conf.sample',
      '/pglite/lib/postgresql/utf8_and_big5.so',
      '/pglite/lib/postgresql/dict_snowball.so',
      '/pglite/lib/postgresql/pgxs/src/Makefile.global',
      '/pglite/icu/icudt76l/coll/root.res',
    ])
      expect(unusedAfterInitdb(unused), unused).toBe(true);
  });

  it('refuses a layout that does not tile the bundle exactly once', () => {
    const entry = (f: string, s: number, e: number) => `{filename:"${f}",start:${s},end:${e}}`;
    const layout = (size: number, ...entries: string[]) =>
      `loadPackage({files:[${entries.join(',')}],remote_package_size:${size}})`;
    expect(parseBundleLayout(layout(10, entry('/a', 0, 4), entry('/b', 4, 10)), 10)).toHaveLength(
      2,
    );
    expect(
      parseBundleLayout(layout(10, entry('/a', 0, 4), entry('/b', 5, 10)), 10),
    ).toBeUndefined();
    expect(
      parseBundleLayout(layout(10, entry('/a', 0, 4), entry('/b', 4, 10)), 11),
    ).toBeUndefined();
    expect(parseBundleLayout(layout(4, entry('/a', 0, 4)).repeat(2), 4)).toBeUndefined();
    expect(parseBundleLayout('', 0)).toBeUndefined();
  });
});
