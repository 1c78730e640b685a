import {
  hasFrames,
  type ProviderOperation,
  type ProviderResponse,
  type ProviderStream,
  Timeout,
} from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import type { Invoke } from '../invoke';

/** One call on one deployment. */
export interface CallArgs {
  invoke: Invoke;
  deployment: Deployment;
  operation: ProviderOperation;
  request: Record<string, unknown>;
  /** For non-streaming calls the whole call; for streams, until the first chunk. */
  timeoutMs: number | undefined;
  stream: boolean;
  /** The consumer reads with nextFrames(): so is the first chunk (see CallOptions.frames). */
  frames: boolean;
  signal: AbortSignal | undefined;
}

/** A stream that produced its first chunk (or ended before any). */
export interface StartedStream {
  headers: Record<string, string>;
  first: IteratorResult<unknown>;
  iterator: AsyncIterator<unknown>;
  /** Stops following the caller's signal; call when the stream is over. */
  release(): void;
}

/**
 * Runs `invoke` under the router's own deadline. The deadline is enforced
 * here as well as handed to `invoke`, so an `invoke` that ignores it cannot
 * hang the request. For streams the deadline runs until the first chunk: a
 * stream that fails or stays silent before it is an ordinary failed attempt
 * (retried, or fallen back from); after it, errors reach the consumer.
 */
export async function callDeployment(
  args: CallArgs,
): Promise<ProviderResponse<unknown> | StartedStream> {
  if (!(args.timeoutMs !== undefined && args.timeoutMs > 0 && Number.isFinite(args.timeoutMs))) {
    return callWithoutDeadline(args);
  }
  const ms = args.timeoutMs;
  const what = args.stream ? 'sent no first chunk' : 'did not answer';
  const { id, model } = args.deployment;
  const abort = new AttemptAbort(args.signal, ms, () => {
    return new Timeout({ message: `Deployment ${id} (${model}) ${what} within ${ms} ms`, model });
  });
  let iterator: AsyncIterator<unknown> | undefined;
  try {
    const result = await Promise.race([
      args.invoke({
        deployment: args.deployment,
        operation: args.operation,
        request: args.request,
        signal: abort.signal,
        timeoutMs: ms,
      }),
      abort.deadline,
    ]);
    if (!args.stream) {
      abort.release();
      return result as ProviderResponse<unknown>;
    }
    const started = result as ProviderStream<unknown>;
    iterator = started.stream[Symbol.asyncIterator]();
    const first = await Promise.race([firstOf(iterator, args.frames), abort.deadline]);
    abort.started();
    return { headers: started.headers, first, iterator, release: abort.release };
  } catch (error) {
    abort.release();
    if (iterator?.return) iterator.return().catch(() => {});
    throw error;
  }
}

/**
 * The one abort of an attempt under a deadline: the deadline and the
 * caller's signal both call it. A class rather than closures in
 * {@link callDeployment}: a held stream keeps this object (through the
 * caller's listener) for its whole life, and closures there would share
 * one context with the call's arguments, keeping the request (its prompt)
 * alive as long. Once the stream has started, the timer, the deadline's
 * promise and the timeout's message are dropped; only the controller and
 * the listener that forwards the caller's abort remain.
 */
class AttemptAbort {
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal | undefined;
  #timer: NodeJS.Timeout | undefined;
  #rejectDeadline: ((reason: unknown) => void) | undefined;
  #deadline: Promise<never> | undefined;
  readonly #onOuterAbort = () => this.#fail(this.#outer?.reason);

  constructor(outer: AbortSignal | undefined, ms: number, timeout: () => Error) {
    this.#outer = outer;
    const deadline = new Promise<never>((_, reject) => {
      this.#rejectDeadline = reject;
    });
    // The races consume it; this only keeps an unraced rejection from being reported.
    deadline.catch(() => {});
    this.#deadline = deadline;
    this.#timer = setTimeout(() => this.#fail(timeout()), ms);
    if (outer?.aborted) this.#fail(outer.reason);
    else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  /** Rejects when the deadline passes or the caller aborts; raced until the attempt has started. */
  get deadline(): Promise<never> {
    return this.#deadline!;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  #fail(reason: unknown): void {
    // Settle the race first, then abort: the abort's own rejection must not win the race.
    this.#rejectDeadline?.(reason);
    this.#controller.abort(reason);
  }

  /** The stream produced its first chunk: no deadline any more, only the caller's signal. */
  started(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#rejectDeadline = undefined;
    this.#deadline = undefined;
  }

  /** Stops following the caller's signal; the call or stream is over. */
  readonly release = (): void => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  };
}

/** Tells a started stream from a response. */
/** A signal that never fires, for calls whose caller gave none. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * The same call when there is no deadline: the caller's own signal is all
 * there is to follow, so no controller, timer or race is paid for per call.
 */
async function callWithoutDeadline(
  args: CallArgs,
): Promise<ProviderResponse<unknown> | StartedStream> {
  const result = await args.invoke({
    deployment: args.deployment,
    operation: args.operation,
    request: args.request,
    signal: args.signal ?? NEVER_ABORTED,
    timeoutMs: undefined,
  });
  if (!args.stream) return result as ProviderResponse<unknown>;
  const started = result as ProviderStream<unknown>;
  const iterator = started.stream[Symbol.asyncIterator]();
  try {
    const first = await firstOf(iterator, args.frames);
    return { headers: started.headers, first, iterator, release: () => {} };
  } catch (error) {
    if (iterator.return) iterator.return().catch(() => {});
    throw error;
  }
}

/** The first chunk, read as the consumer will read the rest (frames or parsed values). */
function firstOf(
  iterator: AsyncIterator<unknown>,
  frames: boolean,
): Promise<IteratorResult<unknown>> {
  return frames && hasFrames(iterator) ? iterator.nextFrames() : iterator.next();
}

export function isStartedStream(
  value: ProviderResponse<unknown> | StartedStream,
): value is StartedStream {
  return 'iterator' in value;
}
