import {
  BadGatewayError,
  type ChatCompletionChunk,
  type FramesIterator,
  hasFrames,
  SseFrames,
} from '@switchyard/core';
import { eventsOfFrames, FrameWriter } from './frame-writer';

/** Turns chat chunks into another API's events, one chunk at a time. */
export interface ChunkTranslator<E> {
  /**
   * The events one chunk makes (often one, sometimes none or several).
   * `write` is given only when the consumer takes SSE text (nextFrames()):
   * an event nobody downstream reads as an object may then be written as
   * its SSE text instead of emitted, byte for byte its serialised form.
   */
  chunk(chunk: ChatCompletionChunk, emit: (event: E) => void, write?: (text: string) => void): void;
  /** The closing events, once the chunks ended normally (`write` as in {@link chunk}). */
  end(emit: (event: E) => void, write?: (text: string) => void): void;
  /**
   * Optional fast path: the events of one chunk given as its JSON text,
   * written straight as the client's SSE text (`write`), without parsing
   * the chunk or building the events. Returns false to decline (the chunk
   * is then parsed and goes through {@link chunk}); whatever it writes must
   * be byte for byte what {@link chunk}'s events would be, serialised.
   */
  frame?(data: string, write: (text: string) => void): boolean;
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * The translated events of a chunk stream, produced as the chunks arrive:
 * each `next()` hands out an event already made, or pulls one more chunk.
 * Nothing is buffered beyond the events of the chunk in hand. A plain
 * iterator rather than an async generator: it sits on every streamed
 * token's path, and a generator layer costs several promises per event.
 * Leaving early (`return()`) closes the chunk stream, which aborts the
 * upstream request; an upstream failure is thrown to the consumer as is.
 *
 * When the chunk stream hands out unparsed runs of chunks ({@link SseFrames})
 * and the translator has a {@link ChunkTranslator.frame} fast path,
 * `nextFrames()` does too: the events of such a run come as one
 * {@link SseFrames} of named events, ready to write, with no chunk parsed
 * and no event object made (the proxy's relay path). Each such run carries
 * the usage its chunks reported ({@link SseFrames.usage}): the consumer
 * bills from it without reading the translated events back.
 */
export class TranslatedStream<E> implements AsyncIterableIterator<E>, FramesIterator<E> {
  readonly #source: AsyncIterator<ChatCompletionChunk> &
    Partial<FramesIterator<ChatCompletionChunk>>;
  readonly #translator: ChunkTranslator<E>;
  readonly #framed: boolean;
  #queue: (E | SseFrames)[] = [];
  #head = 0;
  #ended = false;
  /** The pending call is nextFrames(): a run of frames may be handed out. */
  #wantsFrames = false;
  readonly #emit = (event: E): void => {
    this.#queue.push(event);
  };
  /** Emit for a translator that may also write text: the text written before an event goes first. */
  readonly #emitAfterText = (event: E): void => {
    this.#writer.flush();
    this.#queue.push(event);
  };
  readonly #writer: FrameWriter<E>;
  readonly #onChunk = (
    result: IteratorResult<ChatCompletionChunk | SseFrames>,
  ): Promise<IteratorResult<E | SseFrames>> | IteratorResult<E | SseFrames> => {
    // Text only for a consumer of frames: anyone else would have it parsed back.
    const write = this.#wantsFrames ? this.#writer.write : undefined;
    const emit = write ? this.#emitAfterText : this.#emit;
    if (result.done) {
      this.#ended = true;
      this.#translator.end(emit, write);
    } else if (result.value instanceof SseFrames) {
      this.#translateFrames(result.value);
    } else {
      if (write !== undefined) this.#noteUsage(result.value);
      this.#translator.chunk(result.value, emit, write);
    }
    this.#writer.flush();
    return this.#take() ?? (this.#wantsFrames ? this.nextFrames() : this.next());
  };

  constructor(source: AsyncIterable<ChatCompletionChunk>, translator: ChunkTranslator<E>) {
    this.#source = source[Symbol.asyncIterator]();
    this.#translator = translator;
    this.#framed = translator.frame !== undefined && hasFrames(this.#source);
    this.#writer = new FrameWriter(this.#queue);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<E>> {
    this.#wantsFrames = false;
    const ready = this.#take();
    if (ready !== undefined) return Promise.resolve(ready as IteratorResult<E>);
    if (this.#ended) return Promise.resolve(DONE);
    return this.#source.next().then(this.#onChunk) as Promise<IteratorResult<E>>;
  }

  /** Like next(), but the events of chunks the translator writes as text come as {@link SseFrames}. */
  nextFrames(): Promise<IteratorResult<E | SseFrames>> {
    if (!this.#framed) return this.next();
    this.#wantsFrames = true;
    const ready = this.#take();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#ended) return Promise.resolve(DONE);
    return this.#source.nextFrames!().then(this.#onChunk);
  }

  async return(): Promise<IteratorResult<E>> {
    if (!this.#ended) {
      this.#ended = true;
      this.#queue.length = 0;
      this.#head = 0;
      await this.#source.return?.();
    }
    return DONE;
  }

  /**
   * Each chunk of the run through the translator's fast path, its text
   * gathered into one {@link SseFrames}; a chunk it declines is parsed and
   * translated as usual, its events queued in order between the texts.
   */
  #translateFrames(frames: SseFrames): void {
    const text = frames.text;
    const writer = this.#writer;
    // SseFrames holds `data: <json>\n\n` frames, one line each.
    for (let at = 0; at < text.length; ) {
      const end = text.indexOf('\n\n', at);
      const data = text.slice(at + 6, end);
      at = end + 2;
      if (this.#translator.frame!(data, writer.write)) continue;
      const chunk = parseChunk(data);
      this.#noteUsage(chunk);
      this.#translator.chunk(chunk, this.#emitAfterText, writer.write);
    }
  }

  /**
   * A parsed chunk's usage, for the text about to be written: a consumer of
   * frames bills from {@link SseFrames.usage}, never by reading the
   * translated events back.
   */
  #noteUsage(chunk: ChatCompletionChunk): void {
    if (chunk.usage) this.#writer.noteUsage(chunk.usage);
  }

  #take(): IteratorResult<E | SseFrames> | undefined {
    const queue = this.#queue;
    if (this.#head >= queue.length) {
      if (this.#head > 0) {
        queue.length = 0;
        this.#head = 0;
      }
      return undefined;
    }
    const value = queue[this.#head]!;
    if (value instanceof SseFrames && !this.#wantsFrames) {
      // Text made for nextFrames(), asked for by next(): handed out as events.
      queue.splice(this.#head, 1, ...(eventsOfFrames(value) as E[]));
      return this.#take();
    }
    this.#head++;
    return { done: false, value };
  }
}

function parseChunk(data: string): ChatCompletionChunk {
  try {
    return JSON.parse(data) as ChatCompletionChunk;
  } catch {
    throw new BadGatewayError({
      message: `Malformed JSON in a stream event: ${data.slice(0, 200)}`,
      body: data,
    });
  }
}
