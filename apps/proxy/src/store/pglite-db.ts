import { mkdir } from 'node:fs/promises';
import type { Queryable, SqlDb } from './sql-db';

/**
 * The embedded store: PGlite (Postgres compiled to WASM) in a local folder.
 * One process owns the folder; PGlite runs one statement at a time, so the
 * proxy needs no pool. The module is imported only when used, so a proxy
 * on PostgreSQL never loads the WASM.
 */
export async function openPgliteDb(dataDir: string): Promise<SqlDb> {
  await mkdir(dataDir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dataDir);
  const query = async <T>(text: string, params?: readonly unknown[]) =>
    (await db.query<T>(text, params as unknown[] | undefined)).rows;
  return {
    kind: 'pglite',
    query,
    transaction: fn =>
      db.transaction(tx =>
        fn({
          query: async <T>(text: string, params?: readonly unknown[]) =>
            (await tx.query<T>(text, params as unknown[] | undefined)).rows,
        } satisfies Queryable),
      ),
    close: () => db.close(),
  };
}
