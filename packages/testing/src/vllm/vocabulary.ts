import { hashText } from '../shared/text-generator';

/** The beginning-of-sequence token added when `add_special_tokens` is true. */
export const BOS_ID = 1;
export const BOS_TEXT = '<s>';

/**
 * Token ids for the emulators' word tokens. Ids come from a hash of the
 * word (stable across runs); a collision takes the next free id. The map
 * remembers every word it has seen, so `/detokenize` can turn ids that
 * `/tokenize` handed out back into text.
 */
export class Vocabulary {
  readonly #ids = new Map<string, number>();
  readonly #words = new Map<number, string>([[BOS_ID, BOS_TEXT]]);

  /** The id of one word token. */
  idOf(word: string): number {
    const known = this.#ids.get(word);
    if (known !== undefined) return known;
    let id = 1000 + (hashText(word) % 120_000);
    while (this.#words.has(id)) id++;
    this.#ids.set(word, id);
    this.#words.set(id, word);
    return id;
  }

  /** The word for an id, or undefined when the id was never handed out. */
  wordOf(id: number): string | undefined {
    return this.#words.get(id);
  }
}
