/**
 * Fast, deterministic string hashing for affinity decisions. Every router
 * instance computes the same values from the same input (no random seed),
 * which is what lets several proxies agree on a session's deployment and
 * share prefix ownership keys. Not cryptographic: a collision only costs a
 * less lucky routing guess, never a wrong answer.
 */

/** Running state of a two-lane multiplicative hash over UTF-16 code units. */
export interface HashState {
  h1: number;
  h2: number;
}

/** A fresh hash state (two independent 32-bit lanes). */
export function newHashState(seed = 0): HashState {
  return { h1: 0xdeadbeef ^ seed, h2: 0x41c6ce57 ^ seed };
}

/** Feeds one code unit into the state. */
export function mixCode(state: HashState, code: number): void {
  state.h1 = Math.imul(state.h1 ^ code, 2654435761);
  state.h2 = Math.imul(state.h2 ^ code, 1597334677);
}

/**
 * A 53-bit digest of the state so far, without consuming it: a running hash
 * over a whole prompt yields, at each chunk boundary, the hash of the entire
 * prefix up to there (the chained hash a prefix cache keys its blocks by).
 */
export function digest(state: HashState): number {
  let h1 = Math.imul(state.h1 ^ (state.h1 >>> 16), 2246822507);
  h1 ^= Math.imul(state.h2 ^ (state.h2 >>> 13), 3266489909);
  let h2 = Math.imul(state.h2 ^ (state.h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 53-bit hash of a string. */
export function hashString(text: string, seed = 0): number {
  const state = newHashState(seed);
  for (let i = 0; i < text.length; i++) mixCode(state, text.charCodeAt(i));
  return digest(state);
}

/** 32-bit (unsigned) hash of a string, for positions on a hash ring. */
export function hash32(text: string, seed = 0): number {
  return hashString(text, seed) % 4294967296;
}
