/**
 * A fresh database on a PostgreSQL server for one bench run, so runs never
 * see each other's keys or spend rows; `drop()` removes it (connections
 * the proxy left open included).
 */
import { randomBytes } from 'node:crypto';
import { importTool } from './paths.mjs';

/**
 * Creates `<prefix>_<random hex>` through `adminUrl` (a database on the
 * server the bench may create databases on). With `optional`, a server
 * that cannot be reached gives undefined instead of an error, so a bench
 * can skip its PostgreSQL rows.
 */
export async function freshDatabase({ adminUrl, prefix, optional = false }) {
  const { default: pg } = await importTool('pg');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async sql => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query(sql);
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    await admin(`CREATE DATABASE ${name}`);
  } catch (error) {
    if (optional) return undefined;
    throw error;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
