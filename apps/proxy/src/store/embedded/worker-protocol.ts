/**
 * Messages between the proxy and the embedded store's worker thread. Rows,
 * parameters and errors cross by structured clone, so Dates, arrays and
 * parsed JSON arrive as PGlite produced them.
 */

/** What the worker is started with. */
export interface StoreWorkerData {
  /** The PGlite data folder (`<data dir>/db`). */
  dataDir: string;
  /** A pre-initialised data folder (tar.gz) to start a fresh store from; undefined: run initdb. */
  template: string | undefined;
}

/** One request to the worker; `id` pairs it with its reply. */
export type StoreRequest =
  | { id: number; op: 'query'; sql: string; params: readonly unknown[] | undefined; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** How the store's folder came to be, reported once it is open. */
export type StoreOrigin = 'existing' | 'template' | 'initdb';

/** The worker's first message: the store is open (or could not be). */
export type StoreOpened =
  | { op: 'opened'; ok: true; origin: StoreOrigin }
  | { op: 'opened'; ok: false; error: WireError };

/** A reply: rows for a query, a transaction id for `begin`, nothing for the others. */
export type StoreReply =
  | { op: 'reply'; id: number; ok: true; value: unknown }
  | { op: 'reply'; id: number; ok: false; error: WireError };

/** An error as sent across: its message and Postgres' fields (`code`, `detail`, …). */
export interface WireError {
  message: string;
  fields: Record<string, string | number>;
}

/** Flattens an error for the trip across the thread boundary. */
export function toWireError(error: unknown): WireError {
  const fields: Record<string, string | number> = {};
  if (error !== null && typeof error === 'object') {
    for (const [k, v] of Object.entries(error)) {
      if (typeof v === 'string' || typeof v === 'number') fields[k] = v;
    }
  }
  return { message: error instanceof Error ? error.message : String(error), fields };
}

/** Rebuilds the error on the proxy's side, with the same `code` and fields callers may read. */
export function fromWireError(wire: WireError): Error {
  return Object.assign(new Error(wire.message), wire.fields);
}
