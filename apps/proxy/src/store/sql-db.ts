/**
 * The one SQL seam both stores share: the embedded PGlite (in a worker
 * thread, see `embedded/`) and PostgreSQL run
 * the same statements (real Postgres SQL on both), so there is one schema and
 * one set of migrations.
 */
export interface Queryable {
  /** Runs one parameterised statement (`$1`, `$2`, …) and returns its rows. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A database: statements, transactions, and a way to let go of it. */
export interface SqlDb extends Queryable {
  /** `pglite` (embedded, one process) or `postgres`. */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * True once the store can no longer answer (the embedded store's worker
   * stopped): its owner should open it again. PostgreSQL's pool reconnects
   * by itself and never sets it.
   */
  readonly lost?: boolean;
  close(): Promise<void>;
}
