import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkerDb, type WorkerDb } from '../src/store/embedded/worker-db';
import { runMigrations } from '../src/store/migrations';
import { get } from './helpers';
import { startKeysStack, tempDir } from './keys-helpers';

const TEAM = '"LiteLLM_TeamTable"';

describe('the embedded store in its worker thread', () => {
  const open: WorkerDb[] = [];
  afterAll(async () => {
    for (const db of open) await db.close();
  });

  it('starts a fresh folder from the shipped template, and reopens it with its rows', async () => {
    const dataDir = join(await tempDir(), 'db');
    const db = await openWorkerDb({ dataDir });
    open.push(db);
    // Fails when the template no longer matches the installed PGlite: run `pnpm store-template`.
    expect(db.origin).toBe('template');
    expect(db.kind).toBe('pglite');
    expect(await runMigrations(db)).toContain('0001_keys_users_teams_spend');
    await db.query(`INSERT INTO ${TEAM} (team_id, models) VALUES ($1, $2)`, ['t1', ['chat']]);
    await db.close();
    open.pop();

    const again = await openWorkerDb({ dataDir });
    open.push(again);
    expect(again.origin).toBe('existing');
    expect(await runMigrations(again)).toEqual([]);
    const rows = await again.query<{ team_id: string; models: string[]; created_at: Date }>(
      `SELECT team_id, models, created_at FROM ${TEAM}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.models).toEqual(['chat']);
    expect(rows[0]!.created_at).toBeInstanceOf(Date);
  }, 120_000);

  it('commits, rolls back, reports Postgres errors with their code, and holds other statements until a transaction ends', async () => {
    const db = await openWorkerDb({ dataDir: join(await tempDir(), 'db') });
    open.push(db);
    await runMigrations(db);

    await expect(
      db.transaction(async tx => {
        await tx.query(`INSERT INTO ${TEAM} (team_id) VALUES ('gone')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query(`SELECT team_id FROM ${TEAM}`)).toEqual([]);

    const failure = await db.query('SELECT no_such_column FROM "LiteLLM_TeamTable"').catch(e => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.code).toBe('42703');

    let outside: Promise<Array<{ n: number }>> | undefined;
    const committed = await db.transaction(async tx => {
      await tx.query(`INSERT INTO ${TEAM} (team_id) VALUES ('kept')`);
      // Issued while the transaction is open: it must see the committed row, not run in between.
      outside = db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${TEAM}`);
      await tx.query(`INSERT INTO ${TEAM} (team_id) VALUES ('kept-too')`);
      return 'done';
    });
    expect(committed).toBe('done');
    expect(await outside).toEqual([{ n: 2 }]);
  }, 120_000);

  it('creates the store with initdb when the template cannot be used', async () => {
    const dir = await tempDir();
    const template = join(dir, 'broken.tar.gz');
    await writeFile(template, gzipSync(Buffer.alloc(2048, 7)));
    const db = await openWorkerDb({ dataDir: join(dir, 'db'), template });
    open.push(db);
    expect(db.origin).toBe('initdb');
    await runMigrations(db);
    expect(await db.query(`SELECT count(*)::int AS n FROM ${TEAM}`)).toEqual([{ n: 0 }]);
  }, 300_000);
});

describe.each([
  ['embedded store', false],
  ['PostgreSQL', true],
] as const)('readiness on the %s', (_name, postgres) => {
  it('reports the database as connected and answers 200', async () => {
    const stack = await startKeysStack({ postgres, masterKey: 'sk-ready-master' });
    try {
      const ready = await get(stack.proxy.url, '/health/readiness');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'healthy',
        db: 'connected',
        cache: null,
        redis: null,
      });
    } finally {
      await stack.close();
    }
  }, 120_000);
});
