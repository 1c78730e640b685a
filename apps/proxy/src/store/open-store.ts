import { join } from 'node:path';
import type { KeySettings } from '../keys/key-settings';
import { openWorkerDb } from './embedded/worker-db';
import { pendingMigrations, runMigrations } from './migrations';
import { openPgDb } from './pg-db';
import type { SqlDb } from './sql-db';

/**
 * Opens the store the settings name: PostgreSQL for a `database_url`, else
 * the embedded PGlite in `<data dir>/db`. The embedded store always
 * migrates (nobody else can); PostgreSQL migrates unless schema updates
 * are disabled, and then refuses to run on an out-of-date schema.
 */
export async function openStore(settings: KeySettings): Promise<SqlDb> {
  const db = settings.databaseUrl
    ? await openPgDb({
        connectionString: settings.databaseUrl,
        poolLimit: settings.poolLimit,
        connectionTimeoutMs: settings.connectionTimeoutMs,
      })
    : await openWorkerDb({
        dataDir: join(settings.dataDir, 'db'),
        heapLimitMb: settings.storeHeapMb,
      });
  try {
    if (db.kind === 'pglite' || settings.migrateOnOpen) await runMigrations(db);
    else {
      const pending = await pendingMigrations(db);
      if (pending.length > 0)
        throw new Error(
          `the database schema is out of date (pending: ${pending.join(', ')}); run \`switchyard db migrate --config <file>\``,
        );
    }
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
