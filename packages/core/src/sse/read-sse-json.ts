import { APIConnectionError } from '../errors/api-connection-error';
import { BadGatewayError } from '../errors/bad-gateway-error';
import { errorFromStatus } from '../errors/error-from-status';
import { extractErrorMessage } from '../http/error-message';
import { readSseEvents } from './read-sse-events';

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
  const events = readSseEvents(body);
  let draining = false;
  try {
    for (;;) {
      const next = await events.next();
      if (next.done) break;
      const data = next.value.data;
      if (data === '[DONE]') {
        // The answer is complete, but the body has not ended yet (its end is
        // usually already here). Reading it out in the background lets it end
        // normally: leaving early would destroy the body, which costs an
        // AbortError with a stack trace per stream and, when the end has not
        // arrived yet, the keep-alive connection.
        draining = true;
        void drainAfterDone(events);
        return;
      }
      if (data.length === 0) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        throw new BadGatewayError({
          message: `Malformed JSON in a stream event: ${data.slice(0, 200)}`,
          provider: options.provider,
          model: options.model,
          body: data,
        });
      }
      const error = detect(parsed);
      if (error) throw error;
      yield parsed as T;
    }
  } finally {
    // A consumer that stops early (or an error) frees the upstream at once.
    if (!draining) await events.return(undefined);
  }
  if (options.requireDone) {
    throw new APIConnectionError({
      message: 'The stream ended before [DONE]: the upstream connection was cut short',
      provider: options.provider,
      model: options.model,
    });
  }
}

/** Events a server may send after `[DONE]` before it is treated as misbehaving and cut off. */
const MAX_EVENTS_AFTER_DONE = 16;

async function drainAfterDone(events: AsyncGenerator<unknown>): Promise<void> {
  try {
    for (let i = 0; i < MAX_EVENTS_AFTER_DONE; i++) {
      if ((await events.next()).done) return;
    }
    await events.return(undefined);
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
