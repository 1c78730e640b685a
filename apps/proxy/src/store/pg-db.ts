import type { Queryable, SqlDb } from './sql-db';

/** Options for {@link openPgDb}. */
export interface PgDbOptions {
  connectionString: string;
  /**
   * Largest number of connections this process opens (LiteLLM's
   * `database_connection_pool_limit`, default 10). Requests never hold a
   * connection: key lookups are cached and spend is written by one batch
   * writer, so a handful serves any load and N replicas stay far below
   * Postgres' `max_connections`.
   */
  poolLimit?: number;
  /** How long to wait for a free connection or a new one, ms (default 60 s, LiteLLM's). */
  connectionTimeoutMs?: number;
}

/** PostgreSQL through `pg` with a bounded pool. */
export async function openPgDb(options: PgDbOptions): Promise<SqlDb> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolLimit ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 60_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its server emits here; without a listener it would crash the process.
  pool.on('error', () => {});
  const query = async <T>(text: string, params?: readonly unknown[]) =>
    (await pool.query(text, params as unknown[] | undefined)).rows as T[];
  return {
    kind: 'postgres',
    query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <T>(text: string, params?: readonly unknown[]) =>
            (await client.query(text, params as unknown[] | undefined)).rows as T[],
        } satisfies Queryable);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
