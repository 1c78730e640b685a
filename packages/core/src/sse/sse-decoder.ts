import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';

/**
 * Bytes in, complete server-sent events out, synchronously: UTF-8 decoding
 * that survives a character split across chunks, and the event parser
 * (CRLF, CR and LF line endings). Every SSE reader feeds one of these.
 */
export class SseDecoder {
  readonly #parser: EventSourceParser;
  readonly #text = new TextDecoder();

  constructor(onEvent: (message: EventSourceMessage) => void) {
    this.#parser = createParser({ onEvent });
  }

  /** Feeds the next chunk of the body; complete events are delivered before this returns. */
  feed(chunk: Uint8Array): void {
    this.#parser.feed(this.#text.decode(chunk, { stream: true }));
  }

  /** The body ended: a last event without its blank line still counts (some servers end that way). */
  end(): void {
    const tail = this.#text.decode();
    this.#parser.feed(tail.length > 0 ? `${tail}\n\n` : '\n\n');
  }
}
