/**
 * An emulated automatic prefix cache, like vLLM's: the prompt's token ids
 * are cut into blocks of `blockSize`; each full block is keyed by a hash of
 * its parent block's hash and its own tokens (so a block only matches after
 * the same prefix), and a request reuses the longest run of leading blocks
 * already cached. Capacity is a number of blocks with least-recently-used
 * eviction. Tokens follow the emulators' rule (runs of non-whitespace),
 * numbered by the emulator's vocabulary, as `/tokenize` numbers them.
 *
 * A prompt run under a LoRA adapter has blocks of its own (the adapter's
 * name is hashed into each, as vLLM's extra keys put it there).
 *
 * Changes are reported as vLLM's KV events report them: a run of newly
 * cached blocks as one `BlockStored` (hashes, parent hash, token ids),
 * evictions as `BlockRemoved`, a reset as `AllBlocksCleared`.
 */
import { createHash } from 'node:crypto';
import type { Vocabulary } from './vocabulary';

/** Options of the emulated prefix cache. */
export interface PrefixCacheOptions {
  /** Blocks the cache holds (vLLM: GPU KV blocks). Default 8192. */
  blocks?: number;
  /** Tokens per block (vLLM `--block-size`). Default 16. */
  blockSize?: number;
}

/** The outcome of one lookup. */
export interface PrefixLookup {
  /** Prompt tokens looked up (vLLM's "queries", in tokens). */
  queried: number;
  /** Leading prompt tokens found cached ("hits", in tokens). */
  hit: number;
}

/** The LoRA adapter a prompt runs under: its blocks are its own (vLLM hashes the name in). */
export interface CacheAdapter {
  /** vLLM's `lora_int_id`, carried by KV events as `lora_id`. */
  id: number;
  name: string;
}

/** Where cache changes go (the KV-event publisher). Block hashes are 32-byte digests. */
export interface PrefixCacheSink {
  stored(event: {
    hashes: Buffer[];
    parent: Buffer | null;
    tokenIds: number[];
    blockSize: number;
    lora: CacheAdapter | undefined;
  }): void;
  removed(hashes: Buffer[]): void;
  cleared(): void;
}

export class PrefixCache {
  /** Block key (hex of the hash) to the hash; Map order is recency. */
  readonly #blocks = new Map<string, Buffer>();
  readonly #capacity: number;
  readonly #blockSize: number;
  readonly #vocabulary: Vocabulary;
  #sink: PrefixCacheSink | undefined;

  constructor(options: PrefixCacheOptions, vocabulary: Vocabulary) {
    this.#capacity = positiveInteger('prefixCache.blocks', options.blocks ?? 8192);
    this.#blockSize = positiveInteger('prefixCache.blockSize', options.blockSize ?? 16);
    this.#vocabulary = vocabulary;
  }

  /** Blocks currently cached. */
  get size(): number {
    return this.#blocks.size;
  }

  /** The capacity in blocks. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Tokens per block. */
  get blockSize(): number {
    return this.#blockSize;
  }

  /** Sends later changes to `sink` (the KV-event publisher). */
  attach(sink: PrefixCacheSink): void {
    this.#sink = sink;
  }

  /**
   * Caches the full blocks of a finished sequence (prompt and generated
   * text): like vLLM, the KV of generated tokens stays cached, so the next
   * turn of a conversation, which resends the answer, finds it.
   */
  insert(sequence: string, lora?: CacheAdapter): void {
    this.lookupAndInsert(sequence, lora);
  }

  /**
   * Finds how many leading tokens of `prompt` are cached, then caches every
   * full block of it (the request computed them), refreshing their recency.
   */
  lookupAndInsert(prompt: string, lora?: CacheAdapter): PrefixLookup {
    const words = prompt.match(/\S+/g) ?? [];
    const ids = words.map(word => this.#vocabulary.idOf(word));
    const size = this.#blockSize;
    const blocks = this.#blocks;
    let parent: Buffer | null = null;
    let hitBlocks = 0;
    let missed = false;
    let run: { hashes: Buffer[]; parent: Buffer | null; tokenIds: number[] } | undefined;
    const full = Math.floor(ids.length / size);
    for (let b = 0; b < full; b++) {
      const tokens = ids.slice(b * size, (b + 1) * size);
      const hash = blockHash(parent, tokens, lora?.name);
      const key = hash.toString('hex');
      if (blocks.has(key)) {
        if (!missed) hitBlocks++;
        blocks.delete(key);
        this.#flush(run, lora);
        run = undefined;
      } else {
        missed = true;
        run ??= { hashes: [], parent, tokenIds: [] };
        run.hashes.push(hash);
        run.tokenIds.push(...tokens);
      }
      blocks.set(key, hash);
      parent = hash;
    }
    this.#flush(run, lora);
    this.#evict();
    return { queried: words.length, hit: hitBlocks * size };
  }

  /** Drops every block (vLLM's `/reset_prefix_cache`). */
  clear(): void {
    this.#blocks.clear();
    this.#sink?.cleared();
  }

  #flush(
    run: { hashes: Buffer[]; parent: Buffer | null; tokenIds: number[] } | undefined,
    lora: CacheAdapter | undefined,
  ): void {
    if (run && this.#sink) this.#sink.stored({ ...run, blockSize: this.#blockSize, lora });
  }

  #evict(): void {
    const removed: Buffer[] = [];
    while (this.#blocks.size > this.#capacity) {
      const oldest = this.#blocks.keys().next().value!;
      removed.push(this.#blocks.get(oldest)!);
      this.#blocks.delete(oldest);
    }
    if (removed.length > 0) this.#sink?.removed(removed);
  }
}

/**
 * A block's hash: SHA-256 over its parent's hash, its token ids and — as
 * vLLM's extra keys — the LoRA adapter's name (as vLLM chains them).
 */
function blockHash(parent: Buffer | null, tokens: number[], lora: string | undefined): Buffer {
  const body = Buffer.alloc(tokens.length * 4);
  for (const [i, id] of tokens.entries()) body.writeUInt32BE(id, i * 4);
  const hash = createHash('sha256');
  if (parent) hash.update(parent);
  hash.update(body);
  if (lora !== undefined) hash.update(`\u0000lora:${lora}`);
  return hash.digest();
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
