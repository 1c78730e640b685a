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
 * that chunk, then the rest. Breaking out early aborts the upstream.
 */
export async function* routedStream<T>(
  started: StartedStream,
  hooks: StreamHooks,
): AsyncGenerator<T> {
  let completed = false;
  let error: unknown;
  try {
    if (started.first.done) {
      completed = true;
      return;
    }
    hooks.onChunk(started.first.value);
    yield started.first.value as T;
    for (;;) {
      const next = await started.iterator.next();
      if (next.done) {
        completed = true;
        return;
      }
      hooks.onChunk(next.value);
      yield next.value as T;
    }
  } catch (e) {
    error = e;
    throw hooks.decorateError(e);
  } finally {
    if (!completed && error === undefined) await started.iterator.return?.().catch(() => {});
    started.release();
    hooks.onEnd({ error, completed });
  }
}
