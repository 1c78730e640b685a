import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;
/**
 * Lays a fresh store's folder out from a pre-initialised one (a tar.gz of
 * a PGlite data folder, as `dumpDataDir` writes it): what initdb would
 * create, without running it (initdb in WebAssembly takes 7-11 s and
 * 700 MB). The archive is read as a stream (its 25 MB never sit in memory
 * at once) into a sibling folder that is renamed into place once complete,
 * so a crash half way leaves no half store behind.
 */
export async function unpackTemplate(template: string, dataDir: string): Promise<void> {
  const staging = `${dataDir}.unpacking-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    const reader = new StreamReader(createReadStream(template).pipe(createGunzip()));
    for (;;) {
      const header = await reader.read(BLOCK);
      if (header.length < BLOCK || header[0] === 0) break;
      const entry = parseHeader(header);
      const padded = Math.ceil(entry.size / BLOCK) * BLOCK;
      const target = entry.path === '' ? undefined : join(staging, entry.path);
      if (target !== undefined && entry.type === 'dir') await mkdir(target, { recursive: true });
      if (target !== undefined && entry.type === 'file') {
        await mkdir(dirname(target), { recursive: true });
        const file = await open(target, 'w');
        try {
          for (let left = entry.size; left > 0; ) {
            const piece = await reader.readSome(left);
            if (piece.length === 0) throw new Error(`the store template ends inside ${entry.path}`);
            await file.write(piece);
            left -= piece.length;
          }
        } finally {
          await file.close();
        }
        await reader.read(padded - entry.size);
      } else await reader.read(padded);
    }
    await rm(dataDir, { recursive: true, force: true });
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

interface TarHeader {
  /** Relative to the folder; empty for the archive's root entry. */
  path: string;
  type: 'file' | 'dir';
  size: number;
}

/** One ustar header; only plain files and folders, as a data folder holds. */
function parseHeader(header: Buffer): TarHeader {
  const name = field(header, 0, 100);
  const prefix = field(header, 345, 155);
  const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
  const flag = String.fromCharCode(header[156] ?? 0);
  const path = safePath(prefix ? `${prefix}/${name}` : name);
  if (flag === '5') return { path, type: 'dir', size };
  if (flag === '0' || flag === '\0') return { path, type: 'file', size };
  throw new Error(`the store template holds an entry of type "${flag}" (${path})`);
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

/** Reads a byte stream in pieces of a chosen size. */
class StreamReader {
  readonly #chunks: AsyncIterator<Buffer>;
  #buffered: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(stream: AsyncIterable<Buffer>) {
    this.#chunks = stream[Symbol.asyncIterator]();
  }

  /** The next `n` bytes (a header, padding), fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.#buffered.length < n && (await this.#fill())) {}
    return this.#take(n);
  }

  /** Between 1 and `max` bytes (what the stream has ready: a file body is copied piece by piece); none at the end. */
  async readSome(max: number): Promise<Buffer> {
    if (this.#buffered.length === 0) await this.#fill();
    return this.#take(max);
  }

  #take(n: number): Buffer {
    const out = this.#buffered.subarray(0, n);
    this.#buffered = this.#buffered.subarray(out.length);
    return out;
  }

  /** Appends the next chunk; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#chunks.next();
    if (next.done) {
      this.#ended = true;
      return false;
    }
    this.#buffered =
      this.#buffered.length === 0 ? next.value : Buffer.concat([this.#buffered, next.value]);
    return true;
  }
}
