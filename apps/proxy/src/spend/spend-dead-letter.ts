import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** One row the database refused, or one log line that held no row. */
export interface DeadSpendRow {
  /** The SQLSTATE the database answered (`22003`, …), or `unreadable`. */
  reason: string;
  /** The database's message (it may quote the row, so it goes to the file only, never the log). */
  error?: string;
  row?: unknown;
  /** The raw log line, when it could not be read as a row. */
  line?: string;
}

/**
 * The spend dead-letter file: rows the database refused even one at a
 * time, as JSON lines with the reason, kept for an operator to inspect and
 * re-insert. Moving such a row out of the write-ahead log is what lets the
 * rows behind it through; keeping it here is what keeps it from being lost.
 * Appended synchronously (rare, small writes) before the log segment that
 * held the rows is deleted, so a crash in between can repeat a row here
 * but never drop one.
 */
export class SpendDeadLetter {
  readonly #path: string;
  #total = 0;

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  /** Rows moved here by this process. */
  get total(): number {
    return this.#total;
  }

  append(rows: readonly DeadSpendRow[]): void {
    if (rows.length === 0) return;
    const at = new Date().toISOString();
    const text = rows.map(r => `${JSON.stringify({ dead_lettered_at: at, ...r })}\n`).join('');
    mkdirSync(dirname(this.#path), { recursive: true });
    appendFileSync(this.#path, text);
    this.#total += rows.length;
  }
}
