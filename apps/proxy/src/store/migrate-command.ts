import { join } from 'node:path';
import type { ProxyConfig } from '../config/config-schema';
import { resolveKeySettings } from '../keys/key-settings';
import { lockDataDir } from './data-dir-lock';
import { openWorkerDb } from './embedded/worker-db';
import { runMigrations } from './migrations';
import { openPgDb } from './pg-db';

/**
 * `switchyard db migrate`: applies pending migrations to the config's
 * database (or the embedded one) and returns what it applied — the step to
 * run once per release before rolling proxies that set
 * `disable_schema_update`.
 */
export async function migrateDatabase(
  config: ProxyConfig,
): Promise<{ target: string; applied: string[] }> {
  const settings = resolveKeySettings(config, '');
  // Never under a running proxy's embedded store.
  const lock = settings.databaseUrl ? undefined : lockDataDir(settings.dataDir);
  let db: Awaited<ReturnType<typeof openPgDb>>;
  try {
    db = settings.databaseUrl
      ? await openPgDb({ connectionString: settings.databaseUrl, poolLimit: 1 })
      : await openWorkerDb({ dataDir: join(settings.dataDir, 'db') });
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    const applied = await runMigrations(db);
    const target = settings.databaseUrl
      ? redact(settings.databaseUrl)
      : join(settings.dataDir, 'db');
    return { target, applied };
  } finally {
    await db.close();
    lock?.release();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
