import type { ChatCompletionChunk } from '@switchyard/core';

/** Turns chat chunks into another API's events, one chunk at a time. */
export interface ChunkTranslator<E> {
  /** The events one chunk makes (often one, sometimes none or several). */
  chunk(chunk: ChatCompletionChunk, emit: (event: E) => void): void;
  /** The closing events, once the chunks ended normally. */
  end(emit: (event: E) => void): void;
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
 */
export class TranslatedStream<E> implements AsyncIterableIterator<E> {
  readonly #source: AsyncIterator<ChatCompletionChunk>;
  readonly #translator: ChunkTranslator<E>;
  #queue: E[] = [];
  #head = 0;
  #ended = false;
  readonly #emit = (event: E): void => {
    this.#queue.push(event);
  };
  readonly #onChunk = (
    result: IteratorResult<ChatCompletionChunk>,
  ): Promise<IteratorResult<E>> | IteratorResult<E> => {
    if (result.done) {
      this.#ended = true;
      this.#translator.end(this.#emit);
    } else {
      this.#translator.chunk(result.value, this.#emit);
    }
    return this.#take() ?? this.next();
  };

  constructor(source: AsyncIterable<ChatCompletionChunk>, translator: ChunkTranslator<E>) {
    this.#source = source[Symbol.asyncIterator]();
    this.#translator = translator;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<E>> {
    const ready = this.#take();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#ended) return Promise.resolve(DONE);
    return this.#source.next().then(this.#onChunk);
  }

  async return(): Promise<IteratorResult<E>> {
    if (!this.#ended) {
      this.#ended = true;
      this.#queue = [];
      await this.#source.return?.();
    }
    return DONE;
  }

  #take(): IteratorResult<E> | undefined {
    if (this.#head >= this.#queue.length) {
      if (this.#head > 0) {
        this.#queue.length = 0;
        this.#head = 0;
      }
      return undefined;
    }
    return { done: false, value: this.#queue[this.#head++]! };
  }
}
