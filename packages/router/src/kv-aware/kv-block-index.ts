/**
 * Which replicas hold which KV blocks, built from their engines' events.
 *
 * Blocks are keyed by the router's own chained names (see block-chain);
 * each maps to a bit mask of the replicas (slots 0–30) that hold it, so a
 * prompt's lookup is one map read per block. Each replica also maps the
 * engine's hash of a block to its name, for `BlockRemoved` and for
 * chaining the next `BlockStored` onto its parent. Memory is bounded: past
 * `maxBlocks` names in all, the replica holding the most loses its oldest
 * entries. Forgetting a replica (reset, expiry) never walks the index on
 * the caller's time: the replica moves to a fresh slot at once and the old
 * slot's bits are cleared in small steps later, off any request's path.
 */
import { adapterRoot, blockName, ROOT_BLOCK } from './block-chain';

/** The events the index applies (the shape `@switchyard/kv-events` decodes to). */
export type IndexEvent =
  | {
      type: 'BlockStored';
      blockHashes: number[];
      parentBlockHash: number | null;
      tokenIds: number[];
      blockSize: number;
      loraId?: number | null;
      loraName?: string | null;
    }
  | { type: 'BlockRemoved'; blockHashes: number[] }
  | { type: 'AllBlocksCleared' };

/** Most replicas one index tells apart (bits of a small integer). */
export const MAX_REPLICAS = 31;

/** Entries cleared per step when a slot is forgotten. */
const CLEAR_STEP = 20_000;

interface Replica {
  slot: number;
  /** Engine block hash → block name, oldest first. */
  blocks: Map<number, number>;
}

export class KvBlockIndex {
  readonly #owners = new Map<number, number>();
  readonly #replicas = new Map<string, Replica>();
  readonly #freeSlots: number[] = [];
  readonly #maxBlocks: number;
  #total = 0;
  /** The block size the engines reported last (tokens per block). */
  blockSize: number | undefined;

  constructor(options: { maxBlocks: number }) {
    this.#maxBlocks = options.maxBlocks;
    for (let slot = MAX_REPLICAS - 1; slot >= 0; slot--) this.#freeSlots.push(slot);
  }

  /** Block names indexed, over all replicas. */
  get size(): number {
    return this.#total;
  }

  /** The replica's slot, registering it on first use; undefined when every slot is taken. */
  slotOf(replica: string): number | undefined {
    return this.#replica(replica)?.slot;
  }

  /** The replica's bit, registering it on first use; undefined when every slot is taken. */
  bitOf(replica: string): number | undefined {
    const slot = this.#replica(replica)?.slot;
    return slot === undefined ? undefined : 1 << slot;
  }

  /** Applies one event from `replica`'s engine. */
  apply(replica: string, event: IndexEvent): void {
    const r = this.#replica(replica);
    if (!r) return;
    switch (event.type) {
      case 'BlockStored':
        this.#stored(r, event);
        return;
      case 'BlockRemoved':
        for (const hash of event.blockHashes) this.#remove(r, hash);
        return;
      case 'AllBlocksCleared':
        this.forget(replica);
    }
  }

  /**
   * Leading blocks each replica holds, for a prompt's block names: writes
   * each slot's depth into `out` (indexed by slot, zeroed first) for the
   * replicas in `mask`. Stops at the first block none of them holds.
   * Allocates nothing, so a decision leaves no garbage behind.
   */
  depths(names: readonly number[], mask: number, out: Int32Array): void {
    out.fill(0);
    let alive = mask;
    for (let i = 0; i < names.length && alive !== 0; i++) {
      alive &= this.#owners.get(names[i]!) ?? 0;
      for (let bits = alive; bits !== 0; bits &= bits - 1)
        out[31 - Math.clz32(bits & -bits)] = i + 1;
    }
  }

  /** Drops everything known about `replica` (now: it moves to a fresh slot). */
  forget(replica: string): void {
    const r = this.#replicas.get(replica);
    if (!r) return;
    this.#replicas.delete(replica);
    this.#total -= r.blocks.size;
    const bit = 1 << r.slot;
    const names = [...r.blocks.values()];
    const step = (from: number): void => {
      const end = Math.min(names.length, from + CLEAR_STEP);
      for (let i = from; i < end; i++) this.#clearBit(names[i]!, bit);
      if (end < names.length) setImmediate(() => step(end));
      else this.#freeSlots.push(r.slot);
    };
    if (names.length <= CLEAR_STEP) step(0);
    else setImmediate(() => step(0));
  }

  #replica(id: string): Replica | undefined {
    let r = this.#replicas.get(id);
    if (r === undefined) {
      const slot = this.#freeSlots.pop();
      if (slot === undefined) return undefined;
      r = { slot, blocks: new Map() };
      this.#replicas.set(id, r);
    }
    return r;
  }

  #stored(r: Replica, event: Extract<IndexEvent, { type: 'BlockStored' }>): void {
    const size = event.blockSize;
    if (!(size > 0) || event.tokenIds.length < event.blockHashes.length * size) return;
    // Releases before `lora_name` sent only the engine's own adapter number, which names nothing here.
    if (event.parentBlockHash === null && !event.loraName && event.loraId != null) return;
    this.blockSize = size;
    let parent: number | undefined =
      event.parentBlockHash === null
        ? event.loraName
          ? adapterRoot(event.loraName)
          : ROOT_BLOCK
        : r.blocks.get(event.parentBlockHash);
    // A parent this index never saw (missed or evicted here): the chain cannot be named.
    if (parent === undefined) return;
    const bit = 1 << r.slot;
    event.blockHashes.forEach((hash, i) => {
      const name = blockName(parent!, event.tokenIds, i * size, (i + 1) * size);
      if (!r.blocks.has(hash)) this.#total++;
      r.blocks.delete(hash);
      r.blocks.set(hash, name);
      this.#owners.set(name, (this.#owners.get(name) ?? 0) | bit);
      parent = name;
    });
    while (this.#total > this.#maxBlocks) this.#trimLargest();
  }

  #remove(r: Replica, hash: number): void {
    const name = r.blocks.get(hash);
    if (name === undefined) return;
    r.blocks.delete(hash);
    this.#total--;
    this.#clearBit(name, 1 << r.slot);
  }

  #clearBit(name: number, bit: number): void {
    const mask = (this.#owners.get(name) ?? 0) & ~bit;
    if (mask === 0) this.#owners.delete(name);
    else this.#owners.set(name, mask);
  }

  #trimLargest(): void {
    let largest: Replica | undefined;
    for (const r of this.#replicas.values()) {
      if (!largest || r.blocks.size > largest.blocks.size) largest = r;
    }
    const oldest = largest?.blocks.keys().next();
    if (!largest || !oldest || oldest.done) return;
    this.#remove(largest, oldest.value);
  }
}
