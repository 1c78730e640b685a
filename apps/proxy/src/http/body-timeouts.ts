/** Something waiting for bytes that may never come: a request body being read. */
export interface IdleWatched {
  /** `performance.now()` when bytes last arrived (or the wait began). */
  lastActivity: number;
  /** Called once when nothing arrived for the timeout; the watch is already over. */
  expire(): void;
}

/**
 * The body timeout of one server: a read that receives nothing for
 * `timeoutMs` is expired (nginx's `client_body_timeout`, measured between
 * reads rather than over the whole body, so a slow but steady upload is
 * not cut). One interval sweeps every read in progress instead of a timer
 * per request: arming and clearing a timer for every body costs more than
 * the rare expiry it is for. The interval runs only while reads are
 * watched, and never holds the process open.
 */
export class BodyTimeouts {
  readonly timeoutMs: number;
  readonly #watched = new Set<IdleWatched>();
  readonly #periodMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.timeoutMs = timeoutMs;
    // A read expires between timeoutMs and timeoutMs + period after its last bytes.
    this.#periodMs = Math.min(1000, Math.max(10, timeoutMs / 4));
  }

  /** Starts watching `read` (its `lastActivity` must be set). */
  watch(read: IdleWatched): void {
    this.#watched.add(read);
    this.#timer ??= setInterval(() => this.#sweep(), this.#periodMs).unref();
  }

  /** Stops watching `read` (it finished or failed on its own). */
  unwatch(read: IdleWatched): void {
    this.#watched.delete(read);
  }

  /** Stops the sweep (the server is closing). */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#watched.clear();
  }

  #sweep(): void {
    if (this.#watched.size === 0) {
      // Stopped after one idle period, not at every last read: a busy server keeps one interval.
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const now = performance.now();
    for (const read of this.#watched) {
      if (now - read.lastActivity < this.timeoutMs) continue;
      this.#watched.delete(read);
      read.expire();
    }
  }
}
