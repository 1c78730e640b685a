/**
 * Work that can wait until the event loop has dealt with the I/O at hand:
 * items pushed while node runs I/O callbacks (and the promise reactions
 * after each) are run together in the loop's check phase (`setImmediate`),
 * once every callback of that poll is done.
 *
 * For bookkeeping that nobody is waiting on, behind work that somebody is:
 * when thousands of clients leave at once, each leaving request's metrics,
 * admin-page row and log line wait until the upstream requests of all the
 * clients seen leaving in the same poll are cut, instead of each holding
 * up the next cut.
 */
export class AfterIo<T> {
  readonly #run: (item: T) => void;
  readonly #onError: (error: unknown, item: T) => void;
  #items: T[] = [];
  readonly #drain = () => this.#runAll();

  /** `run` handles one item; `onError` gets what it throws (the other items still run). */
  constructor(run: (item: T) => void, onError: (error: unknown, item: T) => void) {
    this.#run = run;
    this.#onError = onError;
  }

  push(item: T): void {
    if (this.#items.length === 0) setImmediate(this.#drain);
    this.#items.push(item);
  }

  #runAll(): void {
    const items = this.#items;
    this.#items = [];
    for (const item of items) {
      try {
        this.#run(item);
      } catch (error) {
        this.#onError(error, item);
      }
    }
  }
}
