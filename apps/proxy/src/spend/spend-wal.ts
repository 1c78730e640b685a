import { randomUUID } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../store/data-dir-lock';
import type { SpendRow } from './spend-row';

/** What one log segment holds. */
export interface WalSegment {
  rows: SpendRow[];
  /** Complete lines that hold no row (corrupted on disk). */
  unreadable: string[];
}

/**
 * The spend write-ahead log: one JSON line per request, appended with a
 * synchronous write before the response is sent, so a row survives a crash
 * (kill -9) or a database outage. The active segment is rotated to `ready-`
 * for the batch writer, which deletes a segment only after its rows are in
 * the database.
 *
 * Segment names carry the pid and a per-run id; at open, active segments
 * of other runs (a crashed process, or this container's previous life) are
 * claimed as ready.
 */
export class SpendWal {
  readonly #dir: string;
  readonly #runId = randomUUID().slice(0, 8);
  #fd: number | undefined;
  #active: string | undefined;
  #seq = 0;
  #rows = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  get dir(): string {
    return this.#dir;
  }

  /** Rows appended to the active segment since the last rotation. */
  get activeRows(): number {
    return this.#rows;
  }

  async open(): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    for (const name of await readdir(this.#dir)) {
      const m = /^active-(\d+)-([^-]+)-(\d+)\.jsonl$/.exec(name);
      if (!m || m[2] === this.#runId) continue;
      const pid = Number(m[1]);
      if (pid !== process.pid && isProcessAlive(pid)) continue;
      await rename(join(this.#dir, name), join(this.#dir, name.replace(/^active-/, 'ready-')));
    }
  }

  /** Appends one row; returns once the bytes are in the file (the OS has them). */
  append(row: SpendRow): void {
    if (this.#fd === undefined) {
      this.#active = `active-${process.pid}-${this.#runId}-${Date.now()}${String(this.#seq++).padStart(4, '0')}.jsonl`;
      this.#fd = openSync(join(this.#dir, this.#active), 'a');
    }
    writeSync(this.#fd, `${JSON.stringify(row)}\n`);
    this.#rows++;
  }

  /** Closes the active segment and hands it to the writer. */
  async rotate(): Promise<void> {
    if (this.#fd === undefined || this.#active === undefined) return;
    closeSync(this.#fd);
    const name = this.#active;
    this.#fd = undefined;
    this.#active = undefined;
    this.#rows = 0;
    await rename(join(this.#dir, name), join(this.#dir, name.replace(/^active-/, 'ready-')));
  }

  /** Ready segments, oldest first. */
  async ready(): Promise<string[]> {
    return (await readdir(this.#dir)).filter(n => n.startsWith('ready-')).sort();
  }

  /**
   * The rows of a segment, and the lines that hold no row (not JSON, or
   * JSON that is not an object) for the dead-letter file. A torn last line
   * (a crash mid-write, before that request was answered) is skipped.
   */
  async read(name: string): Promise<WalSegment> {
    let text: string;
    try {
      text = await readFile(join(this.#dir, name), 'utf8');
    } catch (error) {
      // Another process sharing the folder flushed it first.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], unreadable: [] };
      throw error;
    }
    const lines = text.split('\n');
    // After the last newline: empty, or the torn end of a write cut short.
    lines.pop();
    const segment: WalSegment = { rows: [], unreadable: [] };
    for (const line of lines) {
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {}
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        segment.rows.push(value as SpendRow);
      else segment.unreadable.push(line);
    }
    return segment;
  }

  async remove(name: string): Promise<void> {
    await unlink(join(this.#dir, name)).catch(() => {});
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
