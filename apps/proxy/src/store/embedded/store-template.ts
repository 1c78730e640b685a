import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);
const BLOCK = 512;

/**
 * Lays a fresh store's folder out from a pre-initialised one (a tar.gz of
 * a PGlite data folder, as `dumpDataDir` writes it): what initdb would
 * create, without running it (initdb in WebAssembly takes 7-11 s and
 * 700 MB). The files are written to a sibling folder that is renamed into
 * place once complete, so a crash half way leaves no half store behind.
 */
export async function unpackTemplate(template: string, dataDir: string): Promise<void> {
  const tar = await gunzipAsync(await readFile(template));
  const staging = `${dataDir}.unpacking-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    for (const entry of tarEntries(tar)) {
      const target = join(staging, entry.path);
      if (entry.type === 'dir') await mkdir(target, { recursive: true });
      else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, entry.body);
      }
    }
    await rm(dataDir, { recursive: true, force: true });
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

interface TarEntry {
  path: string;
  type: 'file' | 'dir';
  body: Uint8Array;
}

/** The entries of a ustar archive; only plain files and folders, as a data folder holds. */
function* tarEntries(tar: Buffer): Generator<TarEntry> {
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header[0] === 0) return;
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const flag = String.fromCharCode(header[156] ?? 0);
    offset += BLOCK;
    const body = tar.subarray(offset, offset + size);
    offset += Math.ceil(size / BLOCK) * BLOCK;
    const path = safePath(prefix ? `${prefix}/${name}` : name);
    if (path === '') continue;
    if (flag === '5') yield { path, type: 'dir', body };
    else if (flag === '0' || flag === '\0') yield { path, type: 'file', body };
    else throw new Error(`the store template holds an entry of type "${flag}" (${path})`);
  }
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/** A relative path inside the folder; the archive is ours, but a path never climbs out. */
function safePath(path: string): string {
  const relative = normalize(path.replace(/^\/+/, '')).replace(/[\\/]+$/, '');
  if (relative === '.' || relative === '') return '';
  if (relative.split(sep).includes('..')) throw new Error(`the store template names ${path}`);
  return relative;
}
