import { type FramesIterator, hasFrames, SseFrames } from '@switchyard/core';
import type { StartedStream } from './call-deployment';

/** What happens as a routed stream is consumed. */
export interface StreamHooks {
  /** Each chunk, before the consumer sees it (usage accounting). */
  onChunk(chunk: unknown): void;
  /** Once, when the stream ends, fails or the consumer stops early. */
  onEnd(outcome: { error: unknown; completed: boolean }): void;
  /** Applied to an error thrown mid-stream before the consumer sees it. */
  decorateError(error: unknown): unknown;
}

/**
 * The consumer's view of a stream that already produced its first chunk:
 * that chunk, then the rest. Breaking out early aborts the upstream. A plain
 * iterator rather than an async generator: it sits on every streamed token's
 * path, and a generator adds promise hops per chunk. When the provider's
 * stream can hand out unparsed frames, so can this one (`nextFrames`); the
 * hooks see parsed chunks, and a run of frames only when it says its usage
 * (a translator's run, {@link SseFrames.usage}; a relay's runs hold none).
 */
export function routedStream<T>(
  started: StartedStream,
  hooks: StreamHooks,
): AsyncIterableIterator<T> & Partial<FramesIterator<T>> {
  return hasFrames(started.iterator)
    ? new FramedRoutedStream<T>(started, hooks)
    : new RoutedStream<T>(started, hooks);
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * A class rather than an object literal with a closure per method: one
 * shape for every stream (the relay calls its methods per upstream read),
 * and the callbacks handed to `then` are made once per stream.
 */
class RoutedStream<T> implements AsyncIterableIterator<T> {
  protected first: IteratorResult<unknown> | undefined;
  protected finished = false;
  protected readonly started: StartedStream;
  protected readonly hooks: StreamHooks;
  protected readonly onResult = (result: IteratorResult<unknown>): IteratorResult<T> => {
    if (result.done) {
      this.#finish(undefined, true);
      return DONE;
    }
    this.hooks.onChunk(result.value);
    return result as IteratorResult<T>;
  };
  protected readonly onError = (error: unknown): never => {
    this.#finish(error, false);
    throw this.hooks.decorateError(error);
  };

  constructor(started: StartedStream, hooks: StreamHooks) {
    this.started = started;
    this.first = started.first;
    this.hooks = hooks;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.finished) return Promise.resolve(DONE);
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      return Promise.resolve(this.onResult(first));
    }
    return this.started.iterator.next().then(this.onResult, this.onError);
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.finished) {
      await this.started.iterator.return?.().catch(() => {});
      this.#finish(undefined, false);
    }
    return DONE;
  }

  #finish(error: unknown, completed: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.started.release();
    this.hooks.onEnd({ error, completed });
  }
}

/** The same over a source that hands out unparsed frames: so does this one. */
class FramedRoutedStream<T> extends RoutedStream<T> implements FramesIterator<T> {
  readonly #onFrames = (result: IteratorResult<unknown>): IteratorResult<T | SseFrames> => {
    const value = result.value;
    if (!(value instanceof SseFrames)) return this.onResult(result);
    // Usage accounting reads `usage` off what it is given, as off a chunk.
    if (value.usage !== undefined) this.hooks.onChunk(value);
    return result as IteratorResult<SseFrames>;
  };

  nextFrames(): Promise<IteratorResult<T | SseFrames>> {
    if (this.finished) return Promise.resolve(DONE);
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      // Read with nextFrames() when the caller asked for frames (CallOptions.frames).
      return Promise.resolve(this.#onFrames(first));
    }
    return (this.started.iterator as FramesIterator<unknown>)
      .nextFrames()
      .then(this.#onFrames, this.onError);
  }
}
