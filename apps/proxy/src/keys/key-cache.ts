import type { AuthRecord } from './auth-record';

interface Entry {
  record: AuthRecord | undefined;
  until: number;
}

/** Options for {@link KeyCache}. */
export interface KeyCacheOptions {
  /** How long a found key is kept (LiteLLM's `user_api_key_cache_ttl`). */
  ttlMs: number;
  /** How long "no such key" is kept: bounds database reads under a flood of bad keys. */
  missTtlMs?: number;
  /** Largest number of entries; the oldest go first. */
  maxEntries?: number;
  load(token: string): Promise<AuthRecord | undefined>;
}

/**
 * Key lookups in memory, so a request with a known key touches no
 * database. Concurrent misses for one key share one load (no stampede of
 * connections, LiteLLM's "too many clients" in the auth path).
 * {@link invalidate} drops an entry at once; the key manager calls it on
 * every update and delete, here and — through Redis pub/sub — on every
 * other instance.
 */
export class KeyCache {
  readonly #o: KeyCacheOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<AuthRecord | undefined>>();
  /** Bumped by invalidations so a load that started before one does not store a stale row. */
  readonly #generation = new Map<string, number>();

  constructor(options: KeyCacheOptions) {
    this.#o = options;
  }

  /** The cached record, if fresh: the synchronous fast path. */
  peek(token: string, now: number): Entry | undefined {
    const entry = this.#entries.get(token);
    if (entry && entry.until > now) return entry;
    return undefined;
  }

  async get(token: string, now: number): Promise<AuthRecord | undefined> {
    const hit = this.peek(token, now);
    if (hit) return hit.record;
    let pending = this.#loading.get(token);
    if (!pending) {
      const generation = this.#generation.get(token) ?? 0;
      pending = this.#o.load(token).then(
        record => {
          this.#loading.delete(token);
          if ((this.#generation.get(token) ?? 0) === generation)
            this.#store(token, record, Date.now());
          return record;
        },
        error => {
          this.#loading.delete(token);
          throw error;
        },
      );
      this.#loading.set(token, pending);
    }
    return pending;
  }

  invalidate(token: string): void {
    this.#entries.delete(token);
    this.#loading.delete(token);
    this.#generation.set(token, (this.#generation.get(token) ?? 0) + 1);
  }

  /** Drops every entry (an invalidation message may have been missed). */
  clear(): void {
    for (const token of this.#entries.keys()) this.invalidate(token);
  }

  #store(token: string, record: AuthRecord | undefined, now: number): void {
    const ttl = record ? this.#o.ttlMs : (this.#o.missTtlMs ?? Math.min(this.#o.ttlMs, 5_000));
    if (ttl <= 0) return;
    const max = this.#o.maxEntries ?? 100_000;
    if (this.#entries.size >= max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { record, until: now + ttl });
  }
}
