/**
 * An emulated automatic prefix cache, like vLLM's: the prompt's tokens are
 * cut into blocks of `blockSize`, each full block is keyed by a hash of the
 * whole prompt up to its end (so a block only matches after the same
 * prefix), and a request reuses the longest run of leading blocks already
 * cached. Capacity is a number of blocks with least-recently-used eviction.
 * Tokens follow the emulators' rule (runs of non-whitespace).
 */
import { createHash } from 'node:crypto';

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

export class PrefixCache {
  readonly #blocks = new Map<string, true>();
  readonly #capacity: number;
  readonly #blockSize: number;

  constructor(options: PrefixCacheOptions = {}) {
    this.#capacity = positiveInteger('prefixCache.blocks', options.blocks ?? 8192);
    this.#blockSize = positiveInteger('prefixCache.blockSize', options.blockSize ?? 16);
  }

  /** Blocks currently cached. */
  get size(): number {
    return this.#blocks.size;
  }

  /** The capacity in blocks. */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Finds how many leading tokens of `prompt` are cached, then caches every
   * full block of it (the request computed them), refreshing their recency.
   */
  /**
   * Caches the full blocks of a finished sequence (prompt and generated
   * text): like vLLM, the KV of generated tokens stays cached, so the next
   * turn of a conversation, which resends the answer, finds it.
   */
  insert(sequence: string): void {
    this.lookupAndInsert(sequence);
  }

  lookupAndInsert(prompt: string): PrefixLookup {
    const tokens = prompt.match(/\S+/g) ?? [];
    const blocks = this.#blocks;
    let chain = '';
    let hitBlocks = 0;
    let missed = false;
    const full = Math.floor(tokens.length / this.#blockSize);
    for (let b = 0; b < full; b++) {
      const text = tokens.slice(b * this.#blockSize, (b + 1) * this.#blockSize).join(' ');
      chain = createHash('sha1').update(chain).update('\u0000').update(text).digest('base64');
      if (blocks.has(chain)) {
        if (!missed) hitBlocks++;
        blocks.delete(chain);
      } else missed = true;
      blocks.set(chain, true);
    }
    while (blocks.size > this.#capacity) blocks.delete(blocks.keys().next().value!);
    return { queried: tokens.length, hit: hitBlocks * this.#blockSize };
  }
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
