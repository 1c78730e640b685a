import { isUtf8 } from 'node:buffer';
import { SseFrames } from './sse-frames';

/**
 * Decides, from an event's JSON in the bytes of an upstream read, that
 * nobody needs it parsed: the same decision as {@link PassUnparsed} makes
 * from decoded text. `latin1` is the whole read, one character per byte
 * (so offsets are byte offsets), and the JSON is `latin1[start, end)`.
 *
 * Why bytes read as latin1 are enough: every key, quote, backslash and
 * literal such a check looks for is ASCII, and UTF-8 never uses a byte
 * below 0x80 inside a multi-byte character, so they are found exactly
 * where they are in the decoded text. Reading bytes as latin1 is a copy,
 * not a decode, and string search on it runs in V8's builtins.
 */
export type PassUnparsedLatin1 = (latin1: string, start: number, end: number) => boolean;

const LF = 0x0a;
/** `data: ` */
const DATA = 'data: ';

/** Node's own latin1 reader of a Buffer: `toString('latin1')` without its argument handling. */
interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

/**
 * The part of an upstream read not consumed yet, when it starts at an
 * event boundary: its events are taken one by one straight from the bytes
 * while each is written exactly as `data: <json>\n\n` (what vLLM and every
 * OpenAI-style server write), so the SSE parser never sees them and the
 * read is never decoded as a whole. The first event written any other way
 * (another field, a comment, CR line breaks, a second data line, an empty
 * payload, an event cut at the end of the read) ends that: the rest goes to
 * the SSE parser, which reads it as it always did.
 *
 * Why this is the same stream: for such an event the parser's `data` is
 * exactly the bytes between `data: ` and the line feed, decoded; and a
 * run of them relayed as bytes is exactly what re-framing each `data` as
 * `data: <data>\n\n` would write.
 */
export class SseEventBytes {
  #bytes: Buffer | undefined;
  /** {@link #bytes} read as latin1, for searching. */
  #latin1 = '';
  #at = 0;
  /** The first CR at or after some offset not past {@link #at}; -1 when there is none. */
  #cr = -1;

  /** Whether nothing is left of the last read given to {@link hold}. */
  get empty(): boolean {
    return this.#bytes === undefined;
  }

  /** Holds a read that starts at an event boundary. */
  hold(chunk: Uint8Array): void {
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#bytes = bytes;
    this.#latin1 = (bytes as unknown as Latin1Slicer).latin1Slice(0, bytes.length);
    this.#at = 0;
    this.#cr = this.#latin1.indexOf('\r');
  }

  /** Whether the next event is written exactly as `data: <json>\n\n` (and is whole). */
  atExactEvent(): boolean {
    return this.#exactEventEnd(this.#at) !== -1;
  }

  /** The next event's data when it is written exactly as `data: <json>\n\n`; else undefined. */
  nextData(): string | undefined {
    const at = this.#at;
    const lf = this.#exactEventEnd(at);
    if (lf === -1) return undefined;
    const bytes = this.#bytes!;
    this.#advance(lf + 2);
    return bytes.toString('utf8', at + DATA.length, lf);
  }

  /**
   * The leading events that `accept` vouches for, as one {@link SseFrames}
   * of their bytes; undefined when the next event is not one. `[DONE]` is
   * never in a run, nor bytes that are not valid UTF-8 (decoding would
   * have replaced them, so a relay of the raw bytes would differ).
   */
  run(accept: PassUnparsedLatin1): SseFrames | undefined {
    const latin1 = this.#latin1;
    const start = this.#at;
    let at = start;
    let count = 0;
    for (;;) {
      const lf = this.#exactEventEnd(at);
      if (lf === -1) break;
      const json = at + DATA.length;
      if (lf - json === 6 && latin1.startsWith('[DONE]', json)) break;
      if (!accept(latin1, json, lf)) break;
      count++;
      at = lf + 2;
    }
    if (count === 0) return undefined;
    const frames = this.#bytes!.subarray(start, at);
    if (!isUtf8(frames)) return undefined;
    this.#advance(at);
    return new SseFrames(frames, count);
  }

  /** What is left, handed over to the SSE parser; nothing is held after. */
  takeRest(): Buffer {
    const rest = this.#bytes!.subarray(this.#at);
    this.#release();
    return rest;
  }

  #advance(to: number): void {
    if (to === this.#latin1.length) this.#release();
    else this.#at = to;
  }

  #release(): void {
    this.#bytes = undefined;
    this.#latin1 = '';
  }

  /**
   * The offset of the line feed ending the event at `at` when it is
   * `data: <payload>\n\n` with a non-empty payload and no CR in it (a CR is
   * a line break to an SSE parser); -1 otherwise, or when it is cut short.
   */
  #exactEventEnd(at: number): number {
    const latin1 = this.#latin1;
    if (!isDataField(latin1, at)) return -1;
    const json = at + DATA.length;
    const lf = latin1.indexOf('\n', json);
    if (lf <= json || latin1.charCodeAt(lf + 1) !== LF) return -1;
    if (this.#cr !== -1 && this.#cr < json) this.#cr = latin1.indexOf('\r', json);
    return this.#cr !== -1 && this.#cr < lf ? -1 : lf;
  }
}

/** Whether `data: ` starts at `at` (compared by hand: `startsWith` with a position is slow in V8). */
function isDataField(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 0x64 &&
    text.charCodeAt(at + 1) === 0x61 &&
    text.charCodeAt(at + 2) === 0x74 &&
    text.charCodeAt(at + 3) === 0x61 &&
    text.charCodeAt(at + 4) === 0x3a &&
    text.charCodeAt(at + 5) === 0x20
  );
}
