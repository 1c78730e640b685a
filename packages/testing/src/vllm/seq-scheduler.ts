/**
 * vLLM's `--max-num-seqs` as the emulator sees it: at most that many
 * requests generate at once; the others wait in arrival order (and are
 * reported as waiting on `/metrics`) until a running one finishes.
 */
export class SeqScheduler {
  readonly #limit: number;
  readonly #queue: Array<() => void> = [];
  #taken = 0;

  constructor(limit: number | undefined) {
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new TypeError(`maxNumSeqs must be a positive integer, got ${String(limit)}`);
    }
    this.#limit = limit ?? Number.POSITIVE_INFINITY;
  }

  /** The slot count, undefined when unlimited. */
  get limit(): number | undefined {
    return Number.isFinite(this.#limit) ? this.#limit : undefined;
  }

  /** True when every slot is taken (a new request would wait). */
  get full(): boolean {
    return this.#taken >= this.#limit;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits for a slot; resolves with its release function, or with undefined
   * when `signal` fired while waiting (the client went away; no slot is held).
   */
  async acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (this.#taken < this.#limit) {
      this.#taken++;
      return this.#releaser();
    }
    if (signal?.aborted) return undefined;
    const granted = await new Promise<boolean>(resolve => {
      const grant = () => {
        signal?.removeEventListener('abort', abort);
        resolve(true);
      };
      const abort = () => {
        const at = this.#queue.indexOf(grant);
        if (at !== -1) this.#queue.splice(at, 1);
        resolve(false);
      };
      this.#queue.push(grant);
      signal?.addEventListener('abort', abort, { once: true });
    });
    // A granted slot was handed over by its releaser, so #taken already counts it.
    return granted ? this.#releaser() : undefined;
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // Hand the slot straight to the next waiter, so no newcomer can slip in between.
      if (next) next();
      else this.#taken--;
    };
  }
}
