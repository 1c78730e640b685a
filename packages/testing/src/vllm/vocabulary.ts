import { hashText } from '../shared/text-generator';

/** The beginning-of-sequence token added when `add_special_tokens` is true. */
export const BOS_ID = 1;
export const BOS_TEXT = '<s>';

/**
 * Token ids for the emulators' word tokens: a fixed function of the word
 * (a 32-bit hash above the special ids), so every emulator process — every
 * replica — numbers a word the same way, as replicas of one model share a
 * tokenizer. The map remembers each word it has numbered, so `/detokenize`
 * can turn ids that `/tokenize` handed out back into text (two words with
 * the same hash would share an id; the first one seen is returned).
 */
export class Vocabulary {
  readonly #words = new Map<number, string>([[BOS_ID, BOS_TEXT]]);

  /** The id of one word token. */
  idOf(word: string): number {
    const id = 1000 + (hashText(word) % 4_000_000_000);
    if (!this.#words.has(id)) this.#words.set(id, word);
    return id;
  }

  /** The word for an id, or undefined when the id was never handed out. */
  wordOf(id: number): string | undefined {
    return this.#words.get(id);
  }
}
