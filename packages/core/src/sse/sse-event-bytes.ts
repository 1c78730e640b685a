import { isUtf8 } from 'node:buffer';
import { SseFrames } from './sse-frames';

/**
 * Decides, from an event's JSON as the UTF-8 bytes `bytes[start, end)`,
 * that nobody needs it parsed: the same decision as {@link PassUnparsed}
 * makes from its text, without decoding it.
 */
export type PassUnparsedBytes = (bytes: Buffer, start: number, end: number) => boolean;

const LF = 0x0a;
const CR = 0x0d;
/** `data: ` */
const DATA: readonly number[] = [0x64, 0x61, 0x74, 0x61, 0x3a, 0x20];
/** `[DONE]` */
const DONE: readonly number[] = [0x5b, 0x44, 0x4f, 0x4e, 0x45, 0x5d];

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
  #at = 0;

  /** Whether nothing is left of the last read given to {@link hold}. */
  get empty(): boolean {
    return this.#bytes === undefined;
  }

  /** Holds a read that starts at an event boundary. */
  hold(chunk: Uint8Array): void {
    this.#bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#at = 0;
  }

  /** Whether the next event is written exactly as `data: <json>\n\n` (and is whole). */
  atExactEvent(): boolean {
    return exactEventEnd(this.#bytes!, this.#at) !== -1;
  }

  /** The next event's data when it is written exactly as `data: <json>\n\n`; else undefined. */
  nextData(): string | undefined {
    const bytes = this.#bytes!;
    const at = this.#at;
    const lf = exactEventEnd(bytes, at);
    if (lf === -1) return undefined;
    this.#advance(lf + 2);
    return bytes.toString('utf8', at + DATA.length, lf);
  }

  /**
   * The leading events that `accept` vouches for, as one {@link SseFrames}
   * of their bytes; undefined when the next event is not one. `[DONE]` is
   * never in a run, nor bytes that are not valid UTF-8 (decoding would
   * have replaced them, so a relay of the raw bytes would differ).
   */
  run(accept: PassUnparsedBytes): SseFrames | undefined {
    const bytes = this.#bytes!;
    const start = this.#at;
    let at = start;
    let count = 0;
    for (;;) {
      const lf = exactEventEnd(bytes, at);
      if (lf === -1) break;
      const json = at + DATA.length;
      if (lf - json === DONE.length && startsWith(bytes, json, DONE)) break;
      if (!accept(bytes, json, lf)) break;
      count++;
      at = lf + 2;
    }
    if (count === 0) return undefined;
    const frames = bytes.subarray(start, at);
    if (!isUtf8(frames)) return undefined;
    this.#advance(at);
    return new SseFrames(frames, count);
  }

  /** What is left, handed over to the SSE parser; nothing is held after. */
  takeRest(): Buffer {
    const rest = this.#bytes!.subarray(this.#at);
    this.#bytes = undefined;
    return rest;
  }

  #advance(to: number): void {
    if (to === this.#bytes!.length) this.#bytes = undefined;
    else this.#at = to;
  }
}

/**
 * The offset of the line feed ending the event at `at` when it is
 * `data: <payload>\n\n` with a non-empty payload and no CR in it (a CR is
 * a line break to an SSE parser); -1 otherwise, or when it is cut short.
 */
function exactEventEnd(bytes: Buffer, at: number): number {
  if (!startsWith(bytes, at, DATA)) return -1;
  const json = at + DATA.length;
  for (let i = json; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === LF) return i > json && bytes[i + 1] === LF ? i : -1;
    if (byte === CR) return -1;
  }
  return -1;
}

function startsWith(bytes: Buffer, at: number, expected: readonly number[]): boolean {
  if (at + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[at + i] !== expected[i]) return false;
  return true;
}
