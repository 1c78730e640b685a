import { open, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * PGlite's file-system bundle (`pglite.data`, 6 MB: the files of Postgres'
 * `share` and `lib` folders) is read whole into the worker and stays there
 * for the store's life, as RSS: PGlite's in-memory file system points into
 * it. Most of it is never read once a data folder exists: what initdb reads,
 * shared libraries for encodings other than UTF-8, text search, replication
 * and extension builds, and ICU's collation data (the store's database uses
 * the C locale). The lean bundle has the same size and layout, with those
 * files' bytes left as zeros: pages never written take no memory. A file
 * left out reads as zeros, which Postgres refuses with an error (a shared
 * library without its magic number, an unreadable ICU data file); nothing
 * the store runs reads one (its tests run on it).
 */

/** Files the store never reads after initdb (paths in PGlite's file system). */
const UNUSED: readonly RegExp[] = [
  /^\/pglite\/icu\//,
  /^\/pglite\/lib\/postgresql\/pgxs\//,
  // Every shared library but PL/pgSQL's: encoding conversions, text search, replication.
  /^\/pglite\/lib\/postgresql\/(?!plpgsql\.so$)[^/]+\.so$/,
  /^\/pglite\/share\/postgresql\/(postgres\.bki|information_schema\.sql|system_\w+\.sql|snowball_create\.sql|sql_features\.txt|errcodes\.txt|[\w.]+\.sample)$/,
];

/** One file of the bundle: its path and byte range. */
export interface BundleEntry {
  filename: string;
  start: number;
  end: number;
}

/** What PGlite's `fsBundle` option is read through. */
export interface FsBundle {
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The bundle's layout, as PGlite's loader declares it (a list of
 * `{filename, start, end}` and the bundle's size), or undefined when the
 * text does not hold exactly one complete layout that tiles the bundle.
 */
export function parseBundleLayout(loader: string, bundleSize: number): BundleEntry[] | undefined {
  const size = /remote_package_size:(\d+)/g;
  const sizes = [...loader.matchAll(size)];
  if (sizes.length !== 1 || Number(sizes[0]![1]) !== bundleSize) return undefined;
  const entries = [...loader.matchAll(/\{filename:"([^"]+)",start:(\d+),end:(\d+)\}/g)].map(m => ({
    filename: m[1]!,
    start: Number(m[2]),
    end: Number(m[3]),
  }));
  let at = 0;
  for (const entry of entries) {
    if (entry.start !== at || entry.end < entry.start) return undefined;
    at = entry.end;
  }
  return entries.length > 0 && at === bundleSize ? entries : undefined;
}

/** Whether the store can do without `filename` once its data folder exists. */
export function unusedAfterInitdb(filename: string): boolean {
  return UNUSED.some(pattern => pattern.test(filename));
}

/**
 * The lean bundle for a store whose data folder exists, or undefined (PGlite
 * then reads its whole bundle) when PGlite's files are not where, or not
 * laid out as, expected: another PGlite version changes nothing but memory.
 */
export async function leanFsBundle(): Promise<FsBundle | undefined> {
  try {
    const dist = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    const dataPath = join(dist, 'pglite.data');
    const { size } = await stat(dataPath);
    const layout = parseBundleLayout(await readFile(join(dist, 'pglite.js'), 'utf8'), size);
    if (!layout) return undefined;
    const kept = layout.filter(entry => !unusedAfterInitdb(entry.filename));
    return { arrayBuffer: () => readRanges(dataPath, size, kept) };
  } catch {
    return undefined;
  }
}

/** A zero-filled buffer of `size` bytes with the `kept` ranges read from the file. */
async function readRanges(
  path: string,
  size: number,
  kept: readonly BundleEntry[],
): Promise<ArrayBuffer> {
  const buffer = new ArrayBuffer(size);
  const file = await open(path, 'r');
  try {
    for (const { start, end } of mergeRanges(kept)) {
      const target = new Uint8Array(buffer, start, end - start);
      for (let done = 0; done < target.length; ) {
        const { bytesRead } = await file.read(target, done, target.length - done, start + done);
        if (bytesRead === 0) throw new Error('the file-system bundle ended early');
        done += bytesRead;
      }
    }
  } finally {
    await file.close();
  }
  return buffer;
}

/** Adjacent ranges as one, so the bundle is read in a few large reads. */
function mergeRanges(entries: readonly BundleEntry[]): { start: number; end: number }[] {
  const ranges: { start: number; end: number }[] = [];
  for (const { start, end } of entries) {
    const last = ranges.at(-1);
    if (last && last.end === start) last.end = end;
    else ranges.push({ start, end });
  }
  return ranges;
}
