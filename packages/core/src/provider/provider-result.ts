import { APIError } from '../errors/api-error';
import type { ProviderOperation, ProviderResponse, ProviderStream } from './provider';

/** What {@link checkProviderResult} is given. */
export interface ProviderResultCheck {
  /** The provider's id, named in the error. */
  provider: string;
  /** The operation that produced `value`. */
  operation: ProviderOperation;
  /** What the operation's promise resolved to. */
  value: unknown;
}

/**
 * The array each non-streaming answer must hold, per operation: the one
 * field every caller reads first. Deeper validation would cost every call;
 * this catches the usual mistake (answering the OpenAI object itself, or
 * `{ data }` of the wrong API) at the cost of two property reads.
 */
const RESULT_ARRAY: Partial<Record<ProviderOperation, { field: string; what: string }>> = {
  chat: { field: 'choices', what: 'an OpenAI chat.completion object' },
  textCompletion: { field: 'choices', what: 'an OpenAI text_completion object' },
  embedding: { field: 'data', what: 'an OpenAI embedding list' },
  rerank: { field: 'results', what: 'a Cohere-shaped rerank answer' },
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/**
 * Checks that a provider operation answered the shape the contract asks
 * for — `{ data, headers }`, or `{ stream, headers }` for a `…Stream`
 * operation — and returns it typed. A custom provider that answers
 * otherwise gets an error saying what was expected, instead of a failure
 * deep inside the SDK or the proxy. Not retryable: the same provider would
 * answer the same way again.
 */
export function checkProviderResult(
  check: ProviderResultCheck,
): ProviderResponse<unknown> | ProviderStream<unknown> {
  const { provider, operation, value } = check;
  const streaming = operation.endsWith('Stream');
  const expected = streaming
    ? '{ stream: AsyncIterable of chunks, headers: Record<string, string> }'
    : `{ data: ${RESULT_ARRAY[operation]?.what ?? 'the answer as a JSON object'}, headers: Record<string, string> }`;
  const problem = findProblem(operation, streaming, value);
  if (problem === undefined) return value as ProviderResponse<unknown> | ProviderStream<unknown>;
  throw new APIError({
    message:
      `Provider "${provider}" broke the provider contract: ${operation}() must resolve to ` +
      `${expected}, but ${problem}.`,
    provider,
    isRetryable: false,
  });
}

function findProblem(
  operation: ProviderOperation,
  streaming: boolean,
  value: unknown,
): string | undefined {
  if (!isObject(value))
    return `it resolved to ${value === undefined ? 'undefined' : describe(value)}`;
  if (!isObject(value.headers)) return `its \`headers\` is ${describe(value.headers)}`;
  if (streaming) {
    const stream = value.stream as { [Symbol.asyncIterator]?: unknown } | undefined;
    return isObject(stream) && typeof stream[Symbol.asyncIterator] === 'function'
      ? undefined
      : `its \`stream\` is ${describe(value.stream)}, not an AsyncIterable`;
  }
  if (!isObject(value.data)) {
    const keys = Object.keys(value).slice(0, 5).join(', ');
    return `its \`data\` is ${describe(value.data)} (it has: ${keys || 'no keys'})`;
  }
  const array = RESULT_ARRAY[operation];
  if (array && !Array.isArray(value.data[array.field])) {
    return `its \`data.${array.field}\` is ${describe(value.data[array.field])}, not an array`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object'
    ? 'an object'
    : typeof value === 'undefined'
      ? 'missing'
      : `a ${typeof value}`;
}
