import { jsonValueAt } from '@switchyard/core';

/**
 * A shortcut for {@link isPlainChatChunkText} on the chunks of one stream:
 * the text around the `content` string of the last chunk found plain. vLLM
 * writes every text delta of a stream with the same id, created, model and
 * fields, so the next chunk is usually that text with another string in
 * the middle, which two comparisons and one scan of the string confirm,
 * where the full check scans the whole text for seven keys.
 *
 * Why it is sound: the text before the string is byte for byte the checked
 * chunk's, up to and including the string's opening quote; the middle holds
 * no unescaped `"` and does not end in an escaping backslash, so the string
 * closes exactly where the checked chunk's did; everything after is byte for
 * byte the checked chunk's. The two texts differ only inside a JSON string,
 * which holds no keys, so what the full check found holds for both.
 */
export class PlainChunkTemplate {
  /** The checked chunk up to and including the opening quote of its content. */
  #prefix = '';
  /** The checked chunk from the closing quote of its content on. */
  #suffix = '';

  /** Whether `text` is the remembered plain chunk with only its content string changed. */
  matches(text: string): boolean {
    return this.matchesAt(text, 0, text.length);
  }

  /**
   * {@link matches} for the chunk `text[start, end)`, without cutting it
   * out. Compared as substrings: V8 compares two strings in one builtin,
   * where `startsWith` / `endsWith` go character by character.
   */
  matchesAt(text: string, start: number, end: number): boolean {
    const prefix = this.#prefix;
    if (prefix === '') return false;
    const from = start + prefix.length;
    const to = end - this.#suffix.length;
    return (
      to >= from &&
      text.substring(start, from) === prefix &&
      text.substring(to, end) === this.#suffix &&
      isStringBody(text, from, to)
    );
  }

  /** Remembers `text`, a chunk the full check found plain, when its content is a string. */
  learn(text: string): void {
    const bounds = contentStringBounds(text);
    if (bounds === undefined) return;
    this.#prefix = text.slice(0, bounds.open + 1);
    this.#suffix = text.slice(bounds.close);
  }
}

/**
 * Where the first `content` value of a chunk's JSON text is a string: the
 * offsets of its opening and closing quotes; undefined when it is not.
 */
export function contentStringBounds(text: string): { open: number; close: number } | undefined {
  const open = jsonValueAt(text, 'content');
  if (open === -1 || text.charCodeAt(open) !== QUOTE) return undefined;
  const close = closingQuote(text, open + 1);
  return close === -1 ? undefined : { open, close };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether text[from, to) can be the inside of a JSON string that closes at `to`. */
function isStringBody(text: string, from: number, to: number): boolean {
  for (let at = text.indexOf('"', from); at !== -1 && at < to; at = text.indexOf('"', at + 1)) {
    if (backslashesBefore(text, at, from) % 2 === 0) return false;
  }
  return backslashesBefore(text, to, from) % 2 === 0;
}

/** Where the string whose body starts at `from` closes, or -1. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at !== -1; at = text.indexOf('"', at + 1)) {
    if (backslashesBefore(text, at, from) % 2 === 0) return at;
  }
  return -1;
}

function backslashesBefore(text: string, at: number, from: number): number {
  let count = 0;
  while (at - count - 1 >= from && text.charCodeAt(at - count - 1) === BACKSLASH) count++;
  return count;
}
