import type { Logger } from '../logging/logger';
import type { CounterHandle } from '../metrics/counter';
import type { SqlDb } from '../store/sql-db';
import type { DeadSpendRow, SpendDeadLetter } from './spend-dead-letter';
import { makeStorable, type SpendRow } from './spend-row';
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
  /** Where rows the database refuses go. */
  deadLetter: SpendDeadLetter;
  /** Counts rows moved to the dead-letter file (`switchyard_spend_dead_letter_rows_total`). */
  deadLetterCount?: CounterHandle;
}

/**
 * Moves spend rows from the write-ahead log into the database off the
 * request path: every interval it rotates the log and writes each ready
 * segment as batches; a segment is deleted only after its rows are in.
 * When the database is down the segments stay on disk and the next tick
 * retries (backing off up to a minute), so an outage loses nothing.
 *
 * A batch the database refuses for what is in it (SQLSTATE classes 22, 23,
 * 54: bad data, a broken constraint, a value too large) is split in halves
 * and retried, down to single rows; a single row refused that way goes to
 * the dead-letter file, so one bad row never holds back the others and a
 * restart cannot get stuck on it. Every row is also made storable first
 * (see `makeStorable`), which heals logs written before that existed.
 */
export class SpendWriter {
  readonly #o: SpendWriterOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;
  #skipTicks = 0;
  #written = 0;
  /** False while log segments left by an earlier run (a crash) may be unwritten. */
  #backlogDrained = false;
  #backlog: Promise<void> | undefined;

  constructor(options: SpendWriterOptions) {
    this.#o = options;
  }

  /** Rows written to the database by this process (new rows only). */
  get written(): number {
    return this.#written;
  }

  /** Opens the log, claiming what earlier runs left; their rows are the backlog. */
  async open(): Promise<void> {
    await this.#o.wal.open();
    this.#backlogDrained = (await this.#o.wal.ready()).length === 0;
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

  /**
   * Resolves once the log segments an earlier run left behind are in the
   * database (one attempt per call while they are not): a key's spend is
   * read from the database, so reading it before those rows are in would
   * let a restarted proxy admit requests its budget no longer covers.
   */
  drainBacklog(): Promise<void> {
    if (this.#backlogDrained) return Promise.resolve();
    this.#backlog ??= this.flush().finally(() => {
      this.#backlog = undefined;
    });
    return this.#backlog;
  }

  async #flushOnce(): Promise<void> {
    const { wal } = this.#o;
    try {
      if (wal.activeRows > 0) await wal.rotate();
      const segments = await wal.ready();
      const db = segments.length > 0 ? await this.#o.db() : undefined;
      for (const name of segments) await this.#writeSegment(db!, name);
      const open = db ?? (this.#o.isOpen() ? await this.#o.db() : undefined);
      if (open) await resetDueBudgets(open);
      this.#backlogDrained = true;
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

  /** Writes one segment's rows, dead-letters what the database refuses, then deletes the segment. */
  async #writeSegment(db: SqlDb, name: string): Promise<void> {
    const { rows, unreadable } = await this.#o.wal.read(name);
    const dead: DeadSpendRow[] = unreadable.map(line => ({ reason: 'unreadable', line }));
    const size = this.#o.batchRows ?? 500;
    for (let i = 0; i < rows.length; i += size) {
      await this.#writeBatch(db, rows.slice(i, i + size).map(makeStorable), dead);
    }
    // Only once every row is in or set aside: an outage midway leaves the
    // segment whole for the next try, and nothing is dead-lettered twice.
    if (dead.length > 0) {
      this.#o.deadLetter.append(dead);
      this.#o.deadLetterCount?.inc(dead.length);
      // Counts and reasons only: the rows may hold prompt-derived or client text.
      this.#o.logger.error(
        {
          rows: dead.length,
          reasons: [...new Set(dead.map(d => d.reason))],
          file: this.#o.deadLetter.path,
        },
        'spend rows the database refused were moved to the dead-letter file',
      );
    }
    await this.#o.wal.remove(name);
  }

  async #writeBatch(db: SqlDb, rows: SpendRow[], dead: DeadSpendRow[]): Promise<void> {
    try {
      this.#written += await writeSpendBatch(db, rows);
    } catch (error) {
      const reason = rowErrorCode(error);
      if (reason === undefined) throw error;
      if (rows.length === 1) {
        dead.push({ reason, error: (error as Error).message, row: rows[0] });
        return;
      }
      const half = Math.ceil(rows.length / 2);
      await this.#writeBatch(db, rows.slice(0, half), dead);
      await this.#writeBatch(db, rows.slice(half), dead);
    }
  }

  /** Stops the timer and makes a last attempt; what fails stays on disk for the next start. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.flush();
    this.#o.wal.close();
  }
}

/**
 * The SQLSTATE of an error caused by the rows themselves (class 22 data
 * exception, 23 integrity constraint, 54 program limit), which splitting
 * the batch can isolate; undefined for anything else (connection lost,
 * server shutting down, schema missing), which is an outage to retry.
 */
function rowErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)[0-9A-Z]{3}$/.test(code) ? code : undefined;
}
