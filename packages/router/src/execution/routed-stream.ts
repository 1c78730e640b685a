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
 * hooks see only parsed chunks (frames carry no usage by construction).
 */
export function routedStream<T>(
  started: StartedStream,
  hooks: StreamHooks,
): AsyncIterableIterator<T> & Partial<FramesIterator<T>> {
  let first: IteratorResult<unknown> | undefined = started.first;
  let finished = false;
  const finish = (error: unknown, completed: boolean) => {
    if (finished) return;
    finished = true;
    started.release();
    hooks.onEnd({ error, completed });
  };
  const DONE: IteratorResult<T> = { done: true, value: undefined };
  // Made once per stream, not once per chunk: a stream calls next() per token.
  const onResult = (result: IteratorResult<unknown>): IteratorResult<T> => {
    if (result.done) {
      finish(undefined, true);
      return DONE;
    }
    hooks.onChunk(result.value);
    return result as IteratorResult<T>;
  };
  const onError = (error: unknown): never => {
    finish(error, false);
    throw hooks.decorateError(error);
  };
  const onFrames = (result: IteratorResult<unknown>): IteratorResult<T | SseFrames> =>
    result.value instanceof SseFrames ? (result as IteratorResult<SseFrames>) : onResult(result);
  const source = started.iterator;
  const nextFrames = hasFrames(source)
    ? (): Promise<IteratorResult<T | SseFrames>> => {
        if (finished) return Promise.resolve(DONE);
        if (first !== undefined) {
          const result = first;
          first = undefined;
          return Promise.resolve(onResult(result));
        }
        return source.nextFrames().then(onFrames, onError);
      }
    : undefined;
  return {
    ...(nextFrames ? { nextFrames } : {}),
    [Symbol.asyncIterator]() {
      return this;
    },
    next(): Promise<IteratorResult<T>> {
      if (finished) return Promise.resolve(DONE);
      if (first !== undefined) {
        const result = first;
        first = undefined;
        return Promise.resolve(onResult(result));
      }
      return started.iterator.next().then(onResult, onError);
    },
    async return(): Promise<IteratorResult<T>> {
      if (!finished) {
        await started.iterator.return?.().catch(() => {});
        finish(undefined, false);
      }
      return DONE;
    },
  };
}
