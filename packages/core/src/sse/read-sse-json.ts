import { APIConnectionError } from '../errors/api-connection-error';
import { BadGatewayError } from '../errors/bad-gateway-error';
import { errorFromStatus } from '../errors/error-from-status';
import { extractErrorMessage } from '../http/error-message';
import { keepSourceText } from './source-text';
import { SseDecoder } from './sse-decoder';
import { type PassUnparsedLatin1, SseEventBytes } from './sse-event-bytes';
import { SseFrames } from './sse-frames';

/** Options for {@link readSseJson}. */
export interface ReadSseJsonOptions {
  /**
   * Remember each event's text for {@link sseJsonAsReceived}, so a relay
   * can forward unchanged values without serialising them again. Only for
   * values the caller never changes in place.
   */
  keepSourceText?: boolean;
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

/** Decides, from an event's JSON text alone, that nobody needs it parsed. */
export type PassUnparsed = (data: string) => boolean;

/** What {@link readSseJson} returns: parsed events, or runs of unparsed frames on request. */
export interface SseJsonIterator<T> extends AsyncIterableIterator<T> {
  /**
   * The next value, except that consecutive events already read that
   * `unparsed` accepts come as one {@link SseFrames}, unparsed and
   * unchecked (the predicate vouches for them). Events it refuses, `[DONE]`
   * and everything else behave as in `next()`. At most one upstream read
   * per call, so a run never waits for more bytes.
   *
   * With `unparsedLatin1` (the same decision, made from an event's bytes),
   * the events of a read that starts at an event boundary are taken from
   * its bytes while each is written exactly as `data: <json>\n\n`: runs
   * that `unparsedLatin1` accepts come as one {@link SseFrames} holding
   * those bytes, never decoded; the others are decoded one by one.
   */
  nextFrames(
    unparsed: PassUnparsed,
    unparsedLatin1?: PassUnparsedLatin1,
  ): Promise<IteratorResult<T | SseFrames>>;
}

/**
 * Yields each SSE `data:` payload parsed as JSON. `[DONE]` ends the stream
 * (and is optional unless `requireDone`); an in-band `{"error":…}` event is
 * thrown; a payload that is not JSON is a BadGatewayError.
 */
export function readSseJson<T = unknown>(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseJsonOptions = {},
): SseJsonIterator<T> {
  return new SseJsonReader<T>(body[Symbol.asyncIterator](), options);
}

const DONE: IteratorResult<never> = { done: true, value: undefined };

/**
 * The iterator behind {@link readSseJson}: one object over the body with
 * the parser inline, rather than an async generator (a stream yields a
 * chunk per token, and a generator layer costs several promises and result
 * objects per chunk). Events already decoded are handed out without
 * waiting; the body is read only when none is left.
 */
class SseJsonReader<T> implements SseJsonIterator<T> {
  readonly #chunks: AsyncIterator<Uint8Array>;
  readonly #options: ReadSseJsonOptions;
  readonly #detect: (event: unknown) => Error | undefined;
  readonly #pending: string[] = [];
  readonly #decoder: SseDecoder;
  /** What is left of the last read while it is taken event by event; empty otherwise. */
  readonly #bytes = new SseEventBytes();
  #next = 0;
  /** The body has ended. */
  #ended = false;
  /** No more values: [DONE] seen, an error raised, or the consumer left. */
  #finished = false;
  /** The predicate of the pending nextFrames() call; undefined for next(). */
  #unparsed: PassUnparsed | undefined;
  /** The byte predicate of the pending nextFrames() call, if it gave one. */
  #unparsedLatin1: PassUnparsedLatin1 | undefined;
  readonly #onBytes = (
    result: IteratorResult<Uint8Array>,
  ): IteratorResult<T | SseFrames> | Promise<IteratorResult<T | SseFrames>> => {
    if (result.done) {
      this.#ended = true;
      this.#decoder.end();
    } else if (this.#decoder.atEventEnd) {
      // A read that starts a new event: its events are taken from its bytes (see SseEventBytes).
      this.#bytes.hold(result.value);
    } else {
      this.#decoder.feed(result.value);
    }
    const unparsed = this.#unparsed;
    return unparsed === undefined ? this.#take() : this.#takeFrames(unparsed);
  };
  readonly #onBodyError = (error: unknown): Promise<never> => this.#fail(error);

  constructor(chunks: AsyncIterator<Uint8Array>, options: ReadSseJsonOptions) {
    this.#chunks = chunks;
    this.#options = options;
    this.#detect = options.inBandError ?? (event => defaultInBandError(event, options));
    this.#decoder = new SseDecoder(message => this.#pending.push(message.data));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#finished) return Promise.resolve(DONE);
    this.#unparsed = undefined;
    this.#unparsedLatin1 = undefined;
    try {
      const result = this.#take() as IteratorResult<T> | Promise<IteratorResult<T>>;
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return this.#fail(error);
    }
  }

  nextFrames(
    unparsed: PassUnparsed,
    unparsedLatin1?: PassUnparsedLatin1,
  ): Promise<IteratorResult<T | SseFrames>> {
    if (this.#finished) return Promise.resolve(DONE);
    this.#unparsed = unparsed;
    this.#unparsedLatin1 = unparsedLatin1;
    try {
      const result = this.#takeFrames(unparsed);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return this.#fail(error);
    }
  }

  /** The consumer stops early: the upstream request is freed at once. */
  async return(): Promise<IteratorResult<T>> {
    if (!this.#finished) {
      this.#finished = true;
      if (!this.#ended) await this.#chunks.return?.(undefined);
    }
    return DONE;
  }

  /**
   * The events decoded already that `unparsed` accepts, framed again as
   * they came, up to the first it refuses; that one (or the next read)
   * goes through {@link #take}. A payload with a line break is never
   * relayed: it could not be framed as one `data:` line. With no decoded
   * events left, the same from the bytes of the last read: the events
   * `unparsedLatin1` accepts, as those bytes.
   */
  #takeFrames(
    unparsed: PassUnparsed,
  ): IteratorResult<T | SseFrames> | Promise<IteratorResult<T | SseFrames>> {
    const pending = this.#pending;
    let text = '';
    let count = 0;
    while (this.#next < pending.length) {
      const data = pending[this.#next]!;
      if (data.length > 0) {
        if (data === '[DONE]' || data.includes('\n') || !unparsed(data)) break;
        text += `data: ${data}\n\n`;
        count++;
      }
      this.#next++;
    }
    if (count > 0) return { done: false, value: new SseFrames(text, count) };
    if (this.#next < pending.length || this.#bytes.empty) return this.#take();
    const unparsedLatin1 = this.#unparsedLatin1;
    if (unparsedLatin1 === undefined) {
      // Nothing to judge bytes with: the parser takes the rest of the read, judged as text.
      this.#decoder.feed(this.#bytes.takeRest());
      return this.#takeFrames(unparsed);
    }
    const bytes = this.#bytes;
    const frames = bytes.run(unparsedLatin1);
    if (frames !== undefined) {
      this.#decoder.skipped();
      return { done: false, value: frames };
    }
    // Refused: parsed from the bytes. Written some other way: the parser takes the rest.
    if (bytes.atExactEvent()) return this.#take();
    this.#decoder.feed(bytes.takeRest());
    return this.#takeFrames(unparsed);
  }

  /**
   * The next value from events decoded already, else from the bytes of
   * the last read, else a read of the body.
   */
  #take(): IteratorResult<T | SseFrames> | Promise<IteratorResult<T | SseFrames>> {
    const pending = this.#pending;
    for (;;) {
      while (this.#next < pending.length) {
        const data = pending[this.#next++]!;
        if (data === '[DONE]') return this.#done();
        if (data.length > 0) return this.#value(data);
      }
      pending.length = 0;
      this.#next = 0;
      const bytes = this.#bytes;
      if (bytes.empty) break;
      const data = bytes.nextData();
      if (data !== undefined) {
        this.#decoder.skipped();
        return data === '[DONE]' ? this.#done() : this.#value(data);
      }
      // An event written some other way: the parser takes the rest of the read.
      this.#decoder.feed(bytes.takeRest());
    }
    if (this.#ended) return this.#endedWithoutDone();
    return this.#chunks.next().then(this.#onBytes).catch(this.#onBodyError);
  }

  /** One event's data parsed, checked for an in-band error, its text kept when asked. */
  #value(data: string): IteratorResult<T> {
    const parsed = parseEvent(data, this.#options);
    const error = this.#detect(parsed);
    if (error) throw error;
    if (this.#options.keepSourceText) keepSourceText(parsed, data);
    return { done: false, value: parsed as T };
  }

  /**
   * The answer is complete, but the body has not ended yet (its end is
   * usually already here). Reading it out in the background lets it end
   * normally: leaving early would abort the body and, when the end has not
   * arrived yet, lose the keep-alive connection.
   */
  #done(): IteratorResult<T> {
    this.#finished = true;
    if (!this.#ended) void drainAfterDone(this.#chunks);
    return DONE;
  }

  #endedWithoutDone(): IteratorResult<T> {
    this.#finished = true;
    if (!this.#options.requireDone) return DONE;
    throw new APIConnectionError({
      message: 'The stream ended before [DONE]: the upstream connection was cut short',
      provider: this.#options.provider,
      model: this.#options.model,
    });
  }

  /** Any failure ends the stream and frees the upstream (unless the body already ended). */
  async #fail(error: unknown): Promise<never> {
    this.#finished = true;
    if (!this.#ended) {
      this.#ended = true;
      await this.#chunks.return?.(undefined)?.catch(() => undefined);
    }
    throw error;
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
