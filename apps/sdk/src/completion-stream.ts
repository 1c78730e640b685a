import { attachMeta, type ResponseMeta, type WithMeta } from './response-meta';

/**
 * A streamed result: an async iterable of OpenAI chunks carrying the call's
 * {@link ResponseMeta} as `_hidden_params`. Leaving the loop early (break,
 * throw) aborts the upstream request.
 */
export type CompletionStream<T> = AsyncIterable<T> & WithMeta;

/** Wraps a provider's chunk iterable with the call's meta. */
export function toCompletionStream<T>(
  source: AsyncIterable<T>,
  meta: ResponseMeta,
): CompletionStream<T> {
  return attachMeta({ [Symbol.asyncIterator]: () => source[Symbol.asyncIterator]() }, meta);
}
