import type { Logger } from '../logging/logger';
import type { SqlDb } from '../store/sql-db';
import type { SpendRow } from './spend-row';
import { resetDueBudgets, writeSpendBatch } from './spend-sql';
import type { SpendWal } from './spend-wal';

/** Options for {@link SpendWriter}. */
export interface SpendWriterOptions {
  wal: SpendWal;
  /** The store, opened on first use; a rejection is a database outage (retried). */
  db: () => Promise<SqlDb>;
  /** True once the store is open: budget resets then run even on ticks with no rows. */
  isOpen: () => boolean;
  /** `proxy_batch_write_at`, ms. */
  intervalMs: number;
  logger: Logger;
  /** Rows per INSERT. */
  batchRows?: number;
}

/**
 * Moves spend rows from the write-ahead log into the database off the
 * request path: every interval it rotates the log and writes each ready
 * segment as batches; a segment is deleted only after its rows are in.
 * When the database is down the segments stay on disk and the next tick
 * retries (backing off up to a minute), so an outage loses nothing.
 */
export class SpendWriter {
  readonly #o: SpendWriterOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;
  #skipTicks = 0;
  #written = 0;

  constructor(options: SpendWriterOptions) {
    this.#o = options;
  }

  /** Rows written to the database by this process (new rows only). */
  get written(): number {
    return this.#written;
  }

  /** Appends a row to the log: synchronous, a few microseconds. */
  record(row: SpendRow): void {
    this.#o.wal.append(row);
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#skipTicks > 0) {
        this.#skipTicks--;
        return;
      }
      void this.flush();
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  /**
   * Writes everything logged so far. Runs never overlap: a run already under
   * way may have started before the latest rows were logged, so this one
   * waits for it and then runs again.
   */
  flush(): Promise<void> {
    const previous = this.#running ?? Promise.resolve();
    const run: Promise<void> = previous
      .catch(() => {})
      .then(() => this.#flushOnce())
      .finally(() => {
        if (this.#running === run) this.#running = undefined;
      });
    this.#running = run;
    return run;
  }

  async #flushOnce(): Promise<void> {
    const { wal } = this.#o;
    try {
      if (wal.activeRows > 0) await wal.rotate();
      const segments = await wal.ready();
      const db = segments.length > 0 ? await this.#o.db() : undefined;
      for (const name of segments) {
        const rows = await wal.read(name);
        const size = this.#o.batchRows ?? 500;
        for (let i = 0; i < rows.length; i += size) {
          this.#written += await writeSpendBatch(db!, rows.slice(i, i + size));
        }
        await wal.remove(name);
      }
      const open = db ?? (this.#o.isOpen() ? await this.#o.db() : undefined);
      if (open) await resetDueBudgets(open);
      if (this.#failures > 0)
        this.#o.logger.info({ failures: this.#failures }, 'spend writes resumed');
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      // Back off: 1, 2, 4 … ticks, at most about a minute.
      this.#skipTicks = Math.min(
        2 ** (this.#failures - 1) - 1,
        Math.ceil(60_000 / this.#o.intervalMs),
      );
      this.#o.logger.warn(
        { err: (error as Error).message, failures: this.#failures },
        'spend write failed; rows stay in the write-ahead log and are retried',
      );
    }
  }

  /** Stops the timer and makes a last attempt; what fails stays on disk for the next start. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
    this.#o.wal.close();
  }
}
