/**
 * Writes `assets/embedded-store-template.tar.gz`: the data folder a fresh
 * embedded store starts from, so that first start unpacks ~2.5 MB instead
 * of running initdb (7-11 s and ~700 MB in WebAssembly). Run it again
 * after upgrading `@electric-sql/pglite` (the test
 * `embedded-store.test.ts` fails while the template does not match):
 *
 *   pnpm --filter @switchyard/proxy store-template
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const target = fileURLToPath(new URL('../assets/embedded-store-template.tar.gz', import.meta.url));

const db = await PGlite.create();
// The store uses only the `postgres` database; dropping the two template
// databases (nobody runs CREATE DATABASE on it) takes two thirds off.
await db.exec('ALTER DATABASE template0 WITH ALLOW_CONNECTIONS false IS_TEMPLATE false');
await db.exec('DROP DATABASE template0');
await db.exec('ALTER DATABASE template1 IS_TEMPLATE false');
await db.exec('DROP DATABASE template1');
await db.exec('CHECKPOINT');
const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v"))
  .rows[0]?.v;
const dump = await db.dumpDataDir('gzip');
await db.close();
await writeFile(target, Buffer.from(await dump.arrayBuffer()));
console.log(`wrote ${target} (PostgreSQL ${version}, ${dump.size} bytes)`);
