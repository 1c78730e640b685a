import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

/**
 * One decoder for every stream's chunks that end on a character boundary.
 * `ignoreBOM`: a non-streaming decode would otherwise drop a U+FEFF at the
 * start of every chunk; the stream's leading one is dropped by hand below.
 */
const WHOLE_CHUNKS = new TextDecoder('utf-8', { ignoreBOM: true });
const BOM = 0xfeff;
const LF = 0x0a;

/**
 * Bytes in, complete server-sent events out, synchronously: UTF-8 decoding
 * that survives a character split across chunks, and the event parser
 * (CRLF, CR and LF line endings). Every SSE reader feeds one of these.
 *
 * A stream's own streaming `TextDecoder` is made only when a chunk ends
 * inside a character: making one costs several µs per stream (an ICU
 * converter), more than decoding a whole answer. A chunk whose last byte
 * is ASCII ends on a character boundary (an ASCII byte is never part of a
 * multi-byte sequence), so it is decoded alone exactly as a streaming
 * decoder would; SSE chunks end in a line break, so nearly all are.
 */
export class SseDecoder {
  readonly #parser: EventSourceParser;
  /** This stream's streaming decoder, from the first chunk that ended inside a character on. */
  #text: InstanceType<typeof TextDecoder> | undefined;
  #first = true;
  /** The input so far ended where an event ends: nothing is half-read. */
  #atEventEnd = true;

  constructor(onEvent: (message: EventSourceMessage) => void) {
    this.#parser = createParser({ onEvent });
  }

  /** Feeds the next chunk of the body; complete events are delivered before this returns. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const first = this.#first;
    this.#first = false;
    let text: string;
    if (this.#text === undefined && chunk[chunk.length - 1]! < 0x80) {
      text = WHOLE_CHUNKS.decode(chunk);
      // What a streaming decoder does at the start of a stream (and only there).
      if (first && text.charCodeAt(0) === BOM) text = text.slice(1);
    } else {
      // Every chunk before ended on a boundary, so a decoder started now has nothing pending.
      this.#text ??= new TextDecoder('utf-8', { ignoreBOM: !first });
      text = this.#text.decode(chunk, { stream: true });
    }
    this.#parser.feed(text);
    // Text ending in a blank line leaves the parser holding no line and no event.
    const last = text.length - 1;
    this.#atEventEnd = text.charCodeAt(last) === LF && text.charCodeAt(last - 1) === LF;
  }

  /**
   * Whether the input so far ended at the end of an event (or there was
   * none): the next bytes start a new event, so a reader may take whole
   * events from them itself instead of feeding them here.
   */
  get atEventEnd(): boolean {
    return this.#atEventEnd;
  }

  /**
   * Whole events were taken from the stream's bytes without being fed here
   * (see {@link atEventEnd}): the stream is past its start, so a byte order
   * mark that comes later is a character, not one to drop.
   */
  skipped(): void {
    this.#first = false;
  }

  /** The body ended: a last event without its blank line still counts (some servers end that way). */
  end(): void {
    const tail = this.#text?.decode() ?? '';
    this.#parser.feed(tail.length > 0 ? `${tail}\n\n` : '\n\n');
  }
}
