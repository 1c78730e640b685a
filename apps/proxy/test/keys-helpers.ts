import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The test PostgreSQL (trust auth); each run gets its own database. */
export const PG_ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A new, empty database on the test server, dropped by the returned `drop`. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sy_keys_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A unique Redis key prefix, so concurrent runs never share counters. */
export function redisPrefix(): string {
  return `sy-test-${randomBytes(6).toString('hex')}:`;
}

/** A fresh temporary folder (embedded store, write-ahead log). */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'switchyard-keys-'));
}

/** A chat body whose message carries a marker, to find it in the upstream's request log. */
export function chat(model: string, marker = 'hi', extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: 'user', content: marker }], max_tokens: 4, ...extra };
}
