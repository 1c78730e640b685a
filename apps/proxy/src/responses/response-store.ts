import type { ProxyContext } from '../server/proxy-context';
import type { Queryable } from '../store/sql-db';
import { storableJson, textProblem } from '../store/storable-value';

// Conversation text is kept whole (no length or depth cuts); only what the
// database refuses outright (NUL, unpaired surrogates) becomes U+FFFD, so a
// client's odd character can never fail the insert.
const WHOLE = { maxChars: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY };
const asJsonText = (value: unknown): string => JSON.stringify(storableJson(value, WHOLE));
/**
 * An id the database cannot hold (a NUL, an unpaired surrogate, from a
 * path or a body) was never stored: looking it up would fail the query.
 */
const unstorableId = (id: string): boolean =>
  textProblem(id, Number.POSITIVE_INFINITY) !== undefined;

type Json = Record<string, unknown>;

/** One stored response: the answer, the request's own input items, and the conversation it continued. */
export interface StoredResponse {
  id: string;
  owner: string;
  response: Json;
  inputItems: Json[];
  /** Every item sent upstream (history and this request's input), in order. */
  context: Json[];
}

/**
 * Where stored Responses API answers live. Reads are scoped to their owner
 * (the key that made them); the master key reads every owner's.
 */
export interface ResponseStore {
  save(stored: StoredResponse): Promise<void>;
  get(id: string, owner: string): Promise<StoredResponse | undefined>;
  /** A stored item (input or output) by its id, for `item_reference`. */
  item(id: string, owner: string): Promise<Json | undefined>;
  /** True when something was deleted. */
  delete(id: string, owner: string): Promise<boolean>;
}

/** The owner every store accepts as reading anything. */
export const MASTER_OWNER = 'master';

const stores = new WeakMap<ProxyContext, ResponseStore>();

/**
 * The proxy's response store: its SQL store (embedded or PostgreSQL) when
 * it has one (a master key is set), so a conversation continues by id on
 * any instance; otherwise a bounded in-memory store of this process.
 */
export function responseStoreOf(ctx: ProxyContext): ResponseStore {
  let store = stores.get(ctx);
  if (store === undefined) {
    const keys = ctx.keys;
    store = keys ? new SqlResponseStore(() => keys.db()) : new MemoryResponseStore(10_000);
    stores.set(ctx, store);
  }
  return store;
}

const visible = (owner: string, reader: string) => reader === MASTER_OWNER || owner === reader;

class SqlResponseStore implements ResponseStore {
  constructor(private readonly db: () => Promise<Queryable>) {}

  async save(s: StoredResponse): Promise<void> {
    const db = await this.db();
    await db.query(
      `INSERT INTO switchyard_responses (id, owner, response, input_items, context)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET response = EXCLUDED.response`,
      [s.id, s.owner, asJsonText(s.response), asJsonText(s.inputItems), asJsonText(s.context)],
    );
    const items = [...s.inputItems, ...((s.response.output as Json[] | undefined) ?? [])];
    for (const item of items) {
      if (typeof item.id !== 'string') continue;
      await db.query(
        `INSERT INTO switchyard_response_items (item_id, response_id, owner, item)
         VALUES ($1, $2, $3, $4) ON CONFLICT (item_id) DO NOTHING`,
        [storableJson(item.id, WHOLE), s.id, s.owner, asJsonText(item)],
      );
    }
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    if (unstorableId(id)) return undefined;
    const db = await this.db();
    const rows = await db.query<{
      owner: string;
      response: Json;
      input_items: Json[];
      context: Json[];
    }>('SELECT owner, response, input_items, context FROM switchyard_responses WHERE id = $1', [
      id,
    ]);
    const row = rows[0];
    if (!row || !visible(row.owner, owner)) return undefined;
    return {
      id,
      owner: row.owner,
      response: row.response,
      inputItems: row.input_items,
      context: row.context,
    };
  }

  async item(id: string, owner: string): Promise<Json | undefined> {
    if (unstorableId(id)) return undefined;
    const db = await this.db();
    const rows = await db.query<{ owner: string; item: Json }>(
      'SELECT owner, item FROM switchyard_response_items WHERE item_id = $1',
      [id],
    );
    const row = rows[0];
    return row && visible(row.owner, owner) ? row.item : undefined;
  }

  async delete(id: string, owner: string): Promise<boolean> {
    if ((await this.get(id, owner)) === undefined) return false;
    const db = await this.db();
    await db.query('DELETE FROM switchyard_response_items WHERE response_id = $1', [id]);
    await db.query('DELETE FROM switchyard_responses WHERE id = $1', [id]);
    return true;
  }
}

/** Newest `limit` responses of this process, oldest dropped first. */
class MemoryResponseStore implements ResponseStore {
  readonly #responses = new Map<string, StoredResponse>();
  readonly #items = new Map<string, { owner: string; item: Json; responseId: string }>();

  constructor(private readonly limit: number) {}

  async save(s: StoredResponse): Promise<void> {
    this.#responses.set(s.id, s);
    for (const item of [...s.inputItems, ...((s.response.output as Json[] | undefined) ?? [])]) {
      if (typeof item.id === 'string')
        this.#items.set(item.id, { owner: s.owner, item, responseId: s.id });
    }
    while (this.#responses.size > this.limit) {
      const oldest = this.#responses.keys().next().value as string;
      await this.delete(oldest, MASTER_OWNER);
    }
  }

  async get(id: string, owner: string): Promise<StoredResponse | undefined> {
    const s = this.#responses.get(id);
    return s && visible(s.owner, owner) ? s : undefined;
  }

  async item(id: string, owner: string): Promise<Json | undefined> {
    const found = this.#items.get(id);
    return found && visible(found.owner, owner) ? found.item : undefined;
  }

  async delete(id: string, owner: string): Promise<boolean> {
    const s = await this.get(id, owner);
    if (!s) return false;
    this.#responses.delete(id);
    for (const [itemId, entry] of this.#items)
      if (entry.responseId === id) this.#items.delete(itemId);
    return true;
  }
}
