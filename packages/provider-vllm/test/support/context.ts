import { type CallContext, HttpClient } from '@switchyard/core';
import { afterAll } from 'vitest';

const http = new HttpClient();
afterAll(() => http.close());

/** A call context for `model` at `apiBase`, over one shared keep-alive client. */
export function contextFor(
  apiBase: string | undefined,
  extra: Partial<CallContext> = {},
): CallContext {
  return {
    model: 'facebook/opt-125m',
    options: {},
    http,
    ...(apiBase !== undefined ? { apiBase } : {}),
    ...extra,
  };
}

/** Deep-freezes a value so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Collects a stream into an array. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
