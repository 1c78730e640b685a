import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Queryable, SqlDb } from '../sql-db';
import { StoreUnavailableError } from '../store-unavailable';
import {
  fromWireError,
  type StoreOpened,
  type StoreOrigin,
  type StoreReply,
  type StoreRequest,
  type StoreWorkerData,
} from './worker-protocol';

/** Options for {@link openWorkerDb}. */
export interface WorkerDbOptions {
  /** The store's folder (`<data dir>/db`). */
  dataDir: string;
  /**
   * A pre-initialised data folder (tar.gz) for a fresh store; default the
   * one shipped with the package; `null` runs initdb instead.
   */
  template?: string | null;
  /**
   * The worker's JavaScript heap limit, MB (query results live there before
   * they cross over). Past it the worker dies, not the proxy: every
   * statement in flight gets a 503 and the store is reopened.
   */
  heapLimitMb?: number;
  /**
   * Longest wait for the worker's answer to one statement, ms (default
   * 60 s). Past it the store is taken as stuck: the worker is ended, every
   * statement gets a 503 and the store is reopened, rather than requests
   * waiting forever.
   */
  answerTimeoutMs?: number;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 60_000;

/** Room for `/spend/logs?limit=100000` of wide rows; the worker idles at a few MB. */
export const DEFAULT_STORE_HEAP_MB = 512;

/** The embedded store, and how its folder came to be. */
export interface WorkerDb extends SqlDb {
  readonly origin: StoreOrigin;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void; sentAt: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Opens the embedded store in a worker thread and speaks to it by
 * messages: the proxy's event loop never runs Postgres. If the worker
 * dies, Postgres in it stops (a PANIC or FATAL error: every later
 * statement would fail or hang), or it stops answering, every pending and
 * later statement fails with a 503 and {@link SqlDb.lost} turns true, so
 * the owner opens it again.
 */
export async function openWorkerDb(options: WorkerDbOptions): Promise<WorkerDb> {
  const template = options.template === undefined ? shippedTemplate() : options.template;
  const worker = startWorker({
    workerData: {
      dataDir: options.dataDir,
      template: template ?? undefined,
    } satisfies StoreWorkerData,
    // Its JavaScript is a message loop: a small young generation keeps its heap
    // small (2 MB instead of 4 saves ~2 MB of RSS; results soon move to old space anyway).
    resourceLimits: {
      maxYoungGenerationSizeMb: 2,
      maxOldGenerationSizeMb: options.heapLimitMb ?? DEFAULT_STORE_HEAP_MB,
    },
  });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let lost: Error | undefined;
  const fail = (error: StoreUnavailableError) => {
    lost ??= error;
    for (const p of pending.values()) p.reject(lost);
    pending.clear();
  };
  const opened = new Promise<StoreOrigin>((resolve, reject) => {
    worker.on('message', (message: StoreOpened | StoreReply) => {
      if (message.op === 'opened') {
        if (message.ok) resolve(message.origin);
        else reject(fromWireError(message.error));
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok) p.resolve(message.value);
      else if (postgresStopped(message.error.fields)) {
        // Seen after a stack overflow inside Postgres: the next statement hangs.
        fail(
          new StoreUnavailableError(
            `Postgres in the embedded store failed: ${message.error.message}`,
          ),
        );
        p.reject(lost!);
        void worker.terminate();
      } else p.reject(fromWireError(message.error));
    });
    worker.on('error', error => {
      fail(new StoreUnavailableError(`the embedded store's worker failed: ${error.message}`));
      reject(error);
    });
    worker.on('exit', code => {
      fail(new StoreUnavailableError(`the embedded store's worker exited with code ${code}`));
      reject(new Error(`the embedded store's worker exited with code ${code} while opening`));
    });
  });
  let origin: StoreOrigin;
  try {
    origin = await opened;
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const answerTimeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const watchdog = setInterval(
    () => {
      const oldest = pending.values().next().value;
      if (!oldest || performance.now() - oldest.sentAt < answerTimeoutMs) return;
      fail(
        new StoreUnavailableError(`the embedded store did not answer for ${answerTimeoutMs} ms`),
      );
      void worker.terminate();
    },
    Math.min(1_000, answerTimeoutMs),
  );
  watchdog.unref();
  worker.once('exit', () => clearInterval(watchdog));

  const call = (request: DistributiveOmit<StoreRequest, 'id'>): Promise<unknown> => {
    if (lost) return Promise.reject(lost);
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, sentAt: performance.now() });
      worker.postMessage({ ...request, id } as StoreRequest);
    });
  };
  const queryIn =
    (tx: number | undefined) =>
    <T>(sql: string, params?: readonly unknown[]) =>
      call({ op: 'query', sql, params, tx }) as Promise<T[]>;

  return {
    kind: 'pglite',
    origin,
    get lost() {
      return lost !== undefined;
    },
    query: queryIn(undefined),
    async transaction(fn) {
      const tx = (await call({ op: 'begin' })) as number;
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn({ query: queryIn(tx) } satisfies Queryable);
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    async close() {
      if (!lost) await call({ op: 'close' }).catch(() => {});
      fail(new StoreUnavailableError('the embedded store is closed'));
      await worker.terminate();
    },
  };
}

/** Postgres' PANIC and FATAL end its backend: in PGlite, the whole database. */
function postgresStopped(fields: Record<string, string | number>): boolean {
  return fields.severity === 'PANIC' || fields.severity === 'FATAL';
}

/**
 * The worker: `store-worker.js` beside the bundle when built; from the
 * sources (tests, development) a bootstrap that loads the TypeScript file
 * through tsx's loader.
 */
function startWorker(options: WorkerOptions): Worker {
  const built = new URL('./store-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built, options);
  const api = import.meta.resolve('tsx/esm/api');
  const source = new URL('./store-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(api)}).then(tsx => tsx.tsImport(${JSON.stringify(source)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/** The data folder template in the package's `assets/` (from `dist/` or from `src/store/embedded/`). */
function shippedTemplate(): string | undefined {
  for (const relative of ['../assets/', '../../../assets/']) {
    const path = fileURLToPath(new URL(`${relative}${TEMPLATE_FILE}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** File name of the shipped template (see `scripts/build-store-template.ts`). */
export const TEMPLATE_FILE = 'embedded-store-template.tar.gz';
