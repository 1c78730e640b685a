import { Timeout } from '../errors/timeout-error';

const DEADLINE = Symbol('switchyard.deadline');

/**
 * The AbortSignal for one call: the caller's own signal when there is no
 * deadline (no extra controller, no listener — they cost several µs per
 * call), or one that fires when the caller aborts or the deadline passes,
 * telling the two apart afterwards. (A hand-made controller rather than
 * `AbortSignal.any`, whose listeners were slow to be collected on Node 20.)
 */
export class Deadline {
  readonly #outer: AbortSignal | undefined;
  readonly #timeoutMs: number | undefined;
  readonly #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #onOuterAbort = () => this.#controller?.abort(this.#outer?.reason);

  constructor(outer: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.#outer = outer;
    if (timeoutMs === undefined || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return;
    this.#timeoutMs = timeoutMs;
    const controller = new AbortController();
    this.#controller = controller;
    if (outer?.aborted) {
      controller.abort(outer.reason);
    } else {
      outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
    }
    this.#timer = setTimeout(() => controller.abort(DEADLINE), timeoutMs);
    this.#timer.unref?.();
  }

  /** The signal to hand to the request (undefined when there is nothing to abort on). */
  get signal(): AbortSignal | undefined {
    return this.#controller?.signal ?? this.#outer;
  }

  /** Stops the timer but keeps following the caller's signal (a stream after its headers). */
  clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Stops everything; call when the request is over. */
  clear(): void {
    this.clearTimer();
    if (this.#controller) this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  /**
   * The error to throw for `error`: a Timeout when our deadline fired, the
   * caller's abort reason when they aborted, else `fallback()`.
   */
  translate(error: unknown, fallback: () => Error): unknown {
    if (this.#controller?.signal.reason === DEADLINE) {
      return new Timeout({
        message: `Request timed out after ${this.#timeoutMs} ms`,
        cause: error,
      });
    }
    if (this.#outer?.aborted) return this.#outer.reason;
    return fallback();
  }
}
