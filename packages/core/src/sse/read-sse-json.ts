import { APIConnectionError } from '../errors/api-connection-error';
import { BadGatewayError } from '../errors/bad-gateway-error';
import { errorFromStatus } from '../errors/error-from-status';
import { extractErrorMessage } from '../http/error-message';
import { SseDecoder } from './sse-decoder';

/** Options for {@link readSseJson}. */
export interface ReadSseJsonOptions {
  /**
   * When true, a stream that ends without `data: [DONE]` is an error
   * (APIConnectionError): vLLM always sends it, so its absence means the
   * stream was cut. Triton never sends it; leave false there.
   */
  requireDone?: boolean;
  /**
   * Decides whether an event is an in-band error and builds the error to
   * throw. Defaults to: any object with a non-null `error` key.
   */
  inBandError?: (event: unknown) => Error | undefined;
  provider?: string;
  model?: string;
}

/**
 * Yields each SSE `data:` payload parsed as JSON. `[DONE]` ends the stream
 * (and is optional unless `requireDone`); an in-band `{"error":…}` event is
 * thrown; a payload that is not JSON is a BadGatewayError.
 */
export async function* readSseJson<T = unknown>(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseJsonOptions = {},
): AsyncGenerator<T> {
  const detect = options.inBandError ?? (event => defaultInBandError(event, options));
  // One generator over the body with the parser inline (rather than one
  // generator of events feeding another of values): a stream yields a chunk
  // per token, so every layer and object per event counts.
  const pending: string[] = [];
  const decoder = new SseDecoder(message => pending.push(message.data));
  const chunks = body[Symbol.asyncIterator]();
  let draining = false;
  let ended = false;
  try {
    while (!ended) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        decoder.end();
      } else {
        decoder.feed(next.value);
      }
      for (let i = 0; i < pending.length; i++) {
        const data = pending[i]!;
        if (data === '[DONE]') {
          // The answer is complete, but the body has not ended yet (its end is
          // usually already here). Reading it out in the background lets it end
          // normally: leaving early would abort the body and, when the end has
          // not arrived yet, lose the keep-alive connection.
          draining = true;
          if (!ended) void drainAfterDone(chunks);
          return;
        }
        if (data.length === 0) continue;
        const parsed = parseEvent(data, options);
        const error = detect(parsed);
        if (error) throw error;
        yield parsed as T;
      }
      pending.length = 0;
    }
  } finally {
    // A consumer that stops early (or an error) frees the upstream at once.
    if (!draining && !ended) await chunks.return?.(undefined);
  }
  if (options.requireDone) {
    throw new APIConnectionError({
      message: 'The stream ended before [DONE]: the upstream connection was cut short',
      provider: options.provider,
      model: options.model,
    });
  }
}

function parseEvent(data: string, options: ReadSseJsonOptions): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new BadGatewayError({
      message: `Malformed JSON in a stream event: ${data.slice(0, 200)}`,
      provider: options.provider,
      model: options.model,
      body: data,
    });
  }
}

const MAX_CHUNKS_AFTER_DONE = 16;

/** Reads a few more body chunks after `[DONE]` so the body ends on its own; then lets go. */
async function drainAfterDone(chunks: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    for (let i = 0; i < MAX_CHUNKS_AFTER_DONE; i++) {
      if ((await chunks.next()).done) return;
    }
    await chunks.return?.(undefined);
  } catch {
    // The answer was already complete; a failure while draining changes nothing.
  }
}

/**
 * The default in-band error check: `{"error":"…"}` (Triton) or
 * `{"error":{"message","code"}}` (vLLM). A numeric `code` picks the class.
 */
export function defaultInBandError(
  event: unknown,
  context: { provider?: string; model?: string } = {},
): Error | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const error = (event as { error?: unknown }).error;
  if (error === undefined || error === null) return undefined;
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
  return errorFromStatus({
    status,
    message: extractErrorMessage(event, JSON.stringify(event)),
    provider: context.provider,
    model: context.model,
    body: event,
  });
}
