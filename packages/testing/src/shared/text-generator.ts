/**
 * Deterministic text for emulators. The token rule, used everywhere in the
 * emulators: **a token is a run of non-whitespace characters (`/\S+/g`)**,
 * so `countTokens` of generated text equals the number of tokens generated.
 */

const WORDS = [
  'the',
  'model',
  'answers',
  'with',
  'a',
  'short',
  'reply',
  'about',
  'rivers',
  'and',
  'mountains',
  'while',
  'servers',
  'stream',
  'tokens',
  'to',
  'clients',
  'over',
  'HTTP',
  'every',
  'request',
  'gets',
  'its',
  'own',
  'deterministic',
  'sentence',
  'so',
  'tests',
  'can',
  'compare',
  'output',
  'exactly',
  'light',
  'travels',
  'fast',
  'through',
  'glass',
  'cables',
  'under',
  'the',
  'sea',
  'bridges',
  'connect',
  'cities',
  'across',
  'wide',
  'valleys',
  'engineers',
  'measure',
  'latency',
  'in',
  'milliseconds',
  'queues',
  'grow',
  'when',
  'traffic',
  'spikes',
  'caches',
  'keep',
  'answers',
  'warm',
  'for',
  'later',
  'use',
];

/** Options for {@link generateTokens}. */
export interface GenerateTokensOptions {
  /** What the output depends on (e.g. the rendered prompt); same text → same tokens. */
  seedText: string;
  /** How many tokens to produce. */
  count: number;
}

/**
 * Produces `count` tokens determined by `seedText`. Every token but the first
 * starts with one space, so `tokens.join('')` is the text. Roughly every
 * ninth word ends a sentence with a period.
 */
export function generateTokens(options: GenerateTokensOptions): string[] {
  const count = Math.max(0, Math.floor(options.count));
  const next = prng(hashText(options.seedText));
  const tokens: string[] = [];
  let sentenceStart = true;
  for (let i = 0; i < count; i++) {
    let word = WORDS[next() % WORDS.length]!;
    if (sentenceStart) word = word[0]!.toUpperCase() + word.slice(1);
    sentenceStart = next() % 9 === 0 || i === count - 1;
    if (sentenceStart) word += '.';
    tokens.push(i === 0 ? word : ` ${word}`);
  }
  return tokens;
}

/**
 * The length a response has when nothing cuts it short: between 8 and 40
 * tokens, fixed by `seedText`, so finish_reason "stop" happens for real.
 */
export function naturalTokenCount(seedText: string): number {
  return 8 + (hashText(`len:${seedText}`) % 33);
}

/** Counts tokens with the emulators' rule: runs of non-whitespace (`/\S+/g`). */
export function countTokens(text: string): number {
  let count = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(text[i]!));
    if (!space && !inToken) count++;
    inToken = !space;
  }
  return count;
}

/**
 * Splits text into tokens by the same rule, keeping the whitespace before
 * each token attached to it, so joining the pieces gives the text back
 * (trailing whitespace rides on the last piece).
 */
export function splitTokens(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  const consumed = pieces.join('').length;
  if (consumed < text.length) {
    if (pieces.length === 0) return text.length > 0 ? [text] : [];
    pieces[pieces.length - 1] += text.slice(consumed);
  }
  return pieces;
}

/** 32-bit FNV-1a hash: small, fast and stable across runs and platforms. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a tiny seeded generator returning unsigned 32-bit integers. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
