import type { RouterState } from '../state/router-state';

/**
 * Which deployments served which prompt prefixes. `match` returns, for each
 * deployment known to hold the prompt's first chunk, how many leading chunks
 * it holds (the deepest chained hash it was recorded for — a chained hash
 * stands for its whole prefix).
 */
export interface PrefixOwnerIndex {
  match(hashes: readonly number[]): Map<string, number> | Promise<Map<string, number>>;
  /** Records that deployment `id` now holds every prefix in `hashes`. */
  record(hashes: readonly number[], id: string): void | Promise<void>;
  /**
   * How many prefix chunks deployment `id` holds, as far as this index knows
   * (where a prompt nobody holds is placed: on the replica holding least).
   */
  held(id: string): number;
}

/**
 * The index in this process's memory: one entry per chunk hash with its
 * most recent owners, bounded by `maxEntries` with least-recently-used
 * eviction (a Map keeps insertion order; an entry is moved to the end
 * whenever it is recorded again). Each owner's count of entries listing it
 * is kept as entries change, so {@link MemoryPrefixIndex.held} costs a lookup.
 */
export class MemoryPrefixIndex implements PrefixOwnerIndex {
  readonly #entries = new Map<number, string[]>();
  readonly #held = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #maxOwners: number;

  constructor(options: { maxEntries: number; maxOwners: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxOwners = options.maxOwners;
  }

  /** Chunk hashes currently held. */
  get size(): number {
    return this.#entries.size;
  }

  match(hashes: readonly number[]): Map<string, number> {
    const depths = new Map<string, number>();
    for (let i = 0; i < hashes.length; i++) {
      const owners = this.#entries.get(hashes[i]!);
      // Shorter prefixes are refreshed whenever longer ones are, so the first miss ends the match.
      if (owners === undefined) break;
      for (const owner of owners) depths.set(owner, i + 1);
    }
    return depths;
  }

  record(hashes: readonly number[], id: string): void {
    const entries = this.#entries;
    let added = 0;
    for (const h of hashes) {
      let owners = entries.get(h);
      if (owners === undefined) {
        owners = [id];
        added++;
      } else {
        entries.delete(h);
        if (owners[0] !== id) {
          const at = owners.indexOf(id);
          if (at !== -1) owners.splice(at, 1);
          else added++;
          owners.unshift(id);
          // One owner was added, so at most one falls off the end.
          if (owners.length > this.#maxOwners) this.#release(owners.pop()!, 1);
        }
      }
      entries.set(h, owners);
    }
    if (added > 0) this.#held.set(id, this.held(id) + added);
    while (entries.size > this.#maxEntries) {
      const oldest = entries.keys().next().value!;
      for (const owner of entries.get(oldest)!) this.#release(owner, 1);
      entries.delete(oldest);
    }
  }

  held(id: string): number {
    return this.#held.get(id) ?? 0;
  }

  #release(id: string, count: number): void {
    const left = this.held(id) - count;
    if (left > 0) this.#held.set(id, left);
    else this.#held.delete(id);
  }
}

/**
 * The index in the router's shared state (Redis), so every proxy instance
 * sees which deployment served a prefix, whichever instance routed it.
 * Entries expire `ttlMs` after they were last recorded. What each replica
 * holds ({@link SharedPrefixIndex.held}) is counted from this instance's
 * own records, in a local {@link MemoryPrefixIndex}: reading every owner
 * list in Redis per decision would cost a scan, and each instance balancing
 * its own placements balances their sum.
 */
export class SharedPrefixIndex implements PrefixOwnerIndex {
  readonly #local: MemoryPrefixIndex;
  readonly #state: Required<Pick<RouterState, 'prefixOwners' | 'recordPrefixOwner'>>;
  readonly #ttlMs: number;
  readonly #maxOwners: number;
  readonly #clock: () => number;

  constructor(options: {
    state: Required<Pick<RouterState, 'prefixOwners' | 'recordPrefixOwner'>>;
    ttlMs: number;
    maxOwners: number;
    clock: () => number;
    /** Chunk hashes remembered locally for {@link SharedPrefixIndex.held}. */
    maxEntries: number;
  }) {
    this.#local = new MemoryPrefixIndex({
      maxEntries: options.maxEntries,
      maxOwners: options.maxOwners,
    });
    this.#state = options.state;
    this.#ttlMs = options.ttlMs;
    this.#maxOwners = options.maxOwners;
    this.#clock = options.clock;
  }

  async match(hashes: readonly number[]): Promise<Map<string, number>> {
    const owners = await this.#state.prefixOwners({
      keys: hashes.map(keyOf),
      maxOwners: this.#maxOwners,
    });
    const depths = new Map<string, number>();
    owners.forEach((list, i) => {
      for (const owner of list) depths.set(owner, i + 1);
    });
    return depths;
  }

  held(id: string): number {
    return this.#local.held(id);
  }

  async record(hashes: readonly number[], id: string): Promise<void> {
    this.#local.record(hashes, id);
    await this.#state.recordPrefixOwner({
      keys: hashes.map(keyOf),
      id,
      now: this.#clock(),
      ttlMs: this.#ttlMs,
      maxOwners: this.#maxOwners,
    });
  }
}

function keyOf(hash: number): string {
  return hash.toString(36);
}
