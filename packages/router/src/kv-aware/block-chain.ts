/**
 * The router's own names for KV blocks: a block is a hash of its parent
 * block's name and its token ids, chained from the start of the prompt.
 * The engine's hashes (SHA-256 with a per-deployment seed, or another
 * configured function) cannot be recomputed here, and need not be: a
 * `BlockStored` event carries each block's token ids and its parent, so the
 * index names the engine's blocks with the same function it applies to a
 * prompt's tokens, and the two meet.
 */
import { digest, hashString, mixCode, newHashState } from '../affinity/hashing';

/** The name of the (virtual) block before a prompt's first one. */
export const ROOT_BLOCK = 0;

/** The chain root for blocks computed under a LoRA adapter (they never match base-model blocks). */
export function adapterRoot(loraName: string | null): number {
  return loraName === null ? ROOT_BLOCK : hashString(loraName, 0x6c6f7261);
}

/** The name of the block holding `tokens[from..to)` after `parent`. */
export function blockName(
  parent: number,
  tokens: ArrayLike<number>,
  from: number,
  to: number,
): number {
  const state = newHashState(0x6b76);
  mixCode(state, parent % 4294967296);
  mixCode(state, Math.floor(parent / 4294967296));
  for (let i = from; i < to; i++) mixCode(state, tokens[i]!);
  return digest(state);
}

/** The names of every full block of `tokens`, in order, chained from `root` (an adapter's, or the base model's). */
export function chainBlocks(
  tokens: ArrayLike<number>,
  blockSize: number,
  root: number = ROOT_BLOCK,
): number[] {
  const out: number[] = [];
  let parent = root;
  for (let end = blockSize; end <= tokens.length; end += blockSize) {
    parent = blockName(parent, tokens, end - blockSize, end);
    out.push(parent);
  }
  return out;
}
