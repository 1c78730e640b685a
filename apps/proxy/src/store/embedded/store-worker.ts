/**
 * The embedded store's worker thread: PGlite (Postgres in WebAssembly)
 * runs here so that its start (compiling 9 MB of WebAssembly, starting
 * Postgres) and every statement leave the proxy's event loop free. The
 * proxy talks to it through {@link openWorkerDb}.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { leanFsBundle } from './fs-bundle';
import { unpackTemplate } from './store-template';
import {
  type StoreOpened,
  type StoreOrigin,
  type StoreReply,
  type StoreRequest,
  type StoreWorkerData,
  toWireError,
} from './worker-protocol';

// Baseline (Liftoff) code only: optimising Postgres' 9 MB of WebAssembly
// costs ~45 MB of memory and seconds of CPU for no gain the store can see
// (its statements take well under a millisecond). The flag is process-wide;
// the proxy runs no other WebAssembly.
setFlagsFromString('--liftoff-only');

/**
 * Postgres' memory: PGlite's default 128 MB of shared buffers is zeroed at
 * every start and mostly touched; a store of keys and spend rows works from
 * the OS page cache as well. PGlite is one backend in single-user mode, but
 * Postgres sizes its shared memory (process slots, lock tables) for
 * `max_connections` (100 in the data folder): one connection touches 4 MB
 * less of the WebAssembly memory. No reserved slots, or one would be too many.
 */
const MEMORY_PARAMS = [
  '-c',
  'shared_buffers=2MB',
  '-c',
  'wal_buffers=256kB',
  '-c',
  'max_connections=1',
  '-c',
  'superuser_reserved_connections=0',
];

const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  done: Promise<void>;
}

async function open(data: StoreWorkerData): Promise<{ db: PGlite; origin: StoreOrigin }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const options = { startParams: [...PGlite.defaultStartParams, ...MEMORY_PARAMS] };
  // A data folder that exists needs only part of PGlite's file-system bundle
  // (see fs-bundle.ts); if PGlite cannot start from it, it starts as shipped.
  const openExisting = async (): Promise<PGlite> => {
    const lean = await leanFsBundle();
    if (lean) {
      try {
        // Typed as a Blob, read by PGlite through arrayBuffer() alone.
        return await PGlite.create(data.dataDir, { ...options, fsBundle: lean as unknown as Blob });
      } catch {}
    }
    return PGlite.create(data.dataDir, options);
  };
  if (existsSync(join(data.dataDir, 'PG_VERSION')))
    return { db: await openExisting(), origin: 'existing' };
  if (data.template !== undefined) {
    try {
      await unpackTemplate(data.template, data.dataDir);
      return { db: await openExisting(), origin: 'template' };
    } catch {
      // A template this PGlite cannot start (another Postgres version): create it the slow way.
      await rm(data.dataDir, { recursive: true, force: true });
    }
  }
  await mkdir(data.dataDir, { recursive: true });
  return { db: await PGlite.create(data.dataDir, options), origin: 'initdb' };
}

/** Serves requests: statements outside a transaction queue behind it (PGlite's own lock). */
function serve(db: PGlite): void {
  const port = parentPort!;
  const open = new Map<number, OpenTransaction>();
  let nextTx = 0;

  const begin = () =>
    new Promise<number>((resolve, reject) => {
      const id = ++nextTx;
      let started = false;
      const done = db
        .transaction(async tx => {
          started = true;
          const commit = await new Promise<boolean>(finish => {
            open.set(id, { tx, finish, done });
            resolve(id);
          });
          if (!commit) throw ROLLBACK;
        })
        .then(
          () => {},
          (error: unknown) => {
            if (!started) reject(error);
            else if (error !== ROLLBACK) throw error;
          },
        )
        .finally(() => open.delete(id));
      // Its failure is reported to the `end` that awaits it; never an unhandled rejection.
      done.catch(() => {});
    });

  const handle = async (request: StoreRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query': {
        const target = request.tx === undefined ? db : open.get(request.tx)?.tx;
        if (!target) throw new Error('the transaction has ended');
        return (await target.query(request.sql, request.params as unknown[] | undefined)).rows;
      }
      case 'begin':
        return begin();
      case 'end': {
        const t = open.get(request.tx);
        if (!t) throw new Error('the transaction has ended');
        t.finish(request.commit);
        await t.done;
        return undefined;
      }
      case 'close':
        await db.close();
        port.close();
        return undefined;
    }
  };

  port.on('message', (request: StoreRequest) => {
    handle(request).then(
      value =>
        port.postMessage({ op: 'reply', id: request.id, ok: true, value } satisfies StoreReply),
      (error: unknown) =>
        port.postMessage({
          op: 'reply',
          id: request.id,
          ok: false,
          error: toWireError(error),
        } satisfies StoreReply),
    );
  });
}

/**
 * One full garbage collection once the store is open: PGlite reads its 9 MB
 * WebAssembly file into a buffer that is garbage once compiled (V8 keeps its
 * own copy), but a worker this quiet can hold it for its whole life, as RSS.
 * `gc` is exposed only long enough to fetch it, in a context of its own.
 */
function collectGarbage(): void {
  // Started with --expose-gc: use it, and leave the flag as it was.
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) {
    exposed();
    return;
  }
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

open(workerData as StoreWorkerData).then(
  ({ db, origin }) => {
    collectGarbage();
    serve(db);
    parentPort!.postMessage({ op: 'opened', ok: true, origin } satisfies StoreOpened);
  },
  (error: unknown) =>
    parentPort!.postMessage({
      op: 'opened',
      ok: false,
      error: toWireError(error),
    } satisfies StoreOpened),
);
