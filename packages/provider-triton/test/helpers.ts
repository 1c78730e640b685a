import { type CallContext, HttpClient } from '@switchyard/core';

/** One HttpClient for the test run, closed by the caller. */
export const http = new HttpClient();

/** A CallContext for `model` at `apiBase`. */
export function context(
  apiBase: string,
  model = 'llama-3-8b-instruct',
  extra: Partial<CallContext> = {},
): CallContext {
  return { model, apiBase, options: {}, http, ...extra };
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
