import { contentStringBounds } from './plain-chunk-template';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * {@link PlainChunkTemplate} for chunks still in the upstream's bytes: the
 * bytes around the `content` string of the last chunk found plain, so the
 * next chunk of the stream is confirmed plain by comparing bytes, without
 * decoding it (the reader relays such chunks as the bytes that came in).
 *
 * Why it is sound: the same argument as the text template's, on bytes. The
 * bytes before the string, up to its opening quote, and from its closing
 * quote on are those of a chunk the full check accepted; between them no
 * unescaped `"` and no dangling `\`, so the string closes where the
 * checked one did. UTF-8 never uses a byte below 0x80 inside a multi-byte
 * character, so quotes and backslashes are found by their bytes alone.
 */
export class PlainChunkByteTemplate {
  /** The checked chunk's bytes up to and including the opening quote of its content. */
  #prefix: Buffer | undefined;
  /** The checked chunk's bytes from the closing quote of its content on. */
  #suffix: Buffer | undefined;

  /** Whether `bytes[start, end)` is the remembered plain chunk with only its content string changed. */
  matches(bytes: Buffer, start: number, end: number): boolean {
    const prefix = this.#prefix;
    const suffix = this.#suffix;
    if (prefix === undefined || suffix === undefined) return false;
    const from = start + prefix.length;
    const to = end - suffix.length;
    return (
      to >= from &&
      sameBytes(bytes, start, prefix) &&
      sameBytes(bytes, to, suffix) &&
      isStringBody(bytes, from, to)
    );
  }

  /**
   * Remembers the chunk `bytes[start, …)`, which the full check found plain
   * in `latin1` (those bytes read one character per byte, so offsets in
   * the text are offsets in the bytes), when its content is a string.
   */
  learn(latin1: string, bytes: Buffer, start: number): void {
    const bounds = contentStringBounds(latin1);
    if (bounds === undefined) return;
    // Copies: the template outlives the upstream read it was learnt from.
    this.#prefix = Buffer.from(bytes.subarray(start, start + bounds.open + 1));
    this.#suffix = Buffer.from(bytes.subarray(start + bounds.close, start + latin1.length));
  }
}

function sameBytes(bytes: Buffer, at: number, expected: Buffer): boolean {
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}

/** Whether bytes[from, to) can be the inside of a JSON string that closes at `to`. */
function isStringBody(bytes: Buffer, from: number, to: number): boolean {
  let escaped = false;
  for (let i = from; i < to; i++) {
    if (escaped) escaped = false;
    else if (bytes[i] === BACKSLASH) escaped = true;
    else if (bytes[i] === QUOTE) return false;
  }
  return !escaped;
}
