import { Timeout } from '../errors/timeout-error';

const DEADLINE = Symbol('switchyard.deadline');

/**
 * One AbortSignal for a call that fires when the caller aborts or the call's
 * own deadline passes, and tells the two apart afterwards. (A hand-made
 * controller rather than `AbortSignal.any`, whose listeners were slow to be
 * collected on Node 20 under load.)
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal | undefined;
  readonly #timeoutMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onOuterAbort = () => this.#controller.abort(this.#outer?.reason);

  constructor(outer: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.#outer = outer;
    this.#timeoutMs = timeoutMs;
    if (outer?.aborted) {
      this.#controller.abort(outer.reason);
    } else {
      outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
    }
    if (timeoutMs !== undefined && timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      this.#timer = setTimeout(() => this.#controller.abort(DEADLINE), timeoutMs);
      this.#timer.unref?.();
    }
  }

  /** The signal to hand to the request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the timer but keeps following the caller's signal (a stream after its headers). */
  clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops everything; call when the request is over. */
  clear(): void {
    this.clearTimer();
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  /**
   * The error to throw for `error`: a Timeout when our deadline fired, the
   * caller's abort reason when they aborted, else `fallback()`.
   */
  translate(error: unknown, fallback: () => Error): unknown {
    if (this.#controller.signal.aborted) {
      if (this.#controller.signal.reason === DEADLINE) {
        return new Timeout({
          message: `Request timed out after ${this.#timeoutMs} ms`,
          cause: error,
        });
      }
      if (this.#outer?.aborted) return this.#outer.reason;
    }
    return fallback();
  }
}
