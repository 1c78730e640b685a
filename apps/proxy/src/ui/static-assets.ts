import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** One file of the built page, held in memory in plain and gzip form. */
export interface StaticAsset {
  contentType: string;
  body: Buffer;
  /** Undefined when compressing would not make it smaller (images). */
  gzipped: Buffer | undefined;
  etag: string;
  /** Vite names files under `assets/` by content hash: they never change under one name. */
  immutable: boolean;
}

/** The built page: path relative to `/ui/` → file. */
export type StaticAssets = ReadonlyMap<string, StaticAsset>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A build larger than this is not the dashboard: refuse rather than hold it in memory. */
const MAX_TOTAL_BYTES = 5 * 1024 * 1024;

/**
 * Reads every file of the built page into memory, once: the page is small
 * (see `bench/dashboard-size.mjs`) and serving from memory means a request
 * for `/ui` never touches the disk and a path can only name a file the
 * build produced (no traversal to check). Undefined when `dir` holds no
 * `index.html`.
 */
export async function loadStaticAssets(dir: string): Promise<StaticAssets | undefined> {
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter(e => e.isFile())
      .map(e => join(e.parentPath, e.name));
  } catch {
    return undefined;
  }
  const assets = new Map<string, StaticAsset>();
  let total = 0;
  for (const file of files) {
    const type = CONTENT_TYPES[extname(file)];
    if (type === undefined) continue; // source maps and the like are not served
    const body = await readFile(file);
    total += body.length;
    if (total > MAX_TOTAL_BYTES) throw new Error(`the admin page in ${dir} is over 5 MiB`);
    const packed = type.startsWith('image/png') ? undefined : await gzipAsync(body, { level: 9 });
    const path = relative(dir, file).split(sep).join('/');
    assets.set(path, {
      contentType: type,
      body,
      gzipped: packed !== undefined && packed.length < body.length ? packed : undefined,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: path.startsWith('assets/'),
    });
  }
  return assets.has('index.html') ? assets : undefined;
}
