/** The proxy's log lines (a pino destination), and a way to wait for one (no sleeps). */
export class LogLines {
  readonly lines: Record<string, unknown>[] = [];
  readonly #waiters: Array<{ match: (l: Record<string, unknown>) => boolean; done: () => void }> =
    [];

  write(text: string): void {
    const line = JSON.parse(text) as Record<string, unknown>;
    this.lines.push(line);
    for (const w of this.#waiters) if (w.match(line)) w.done();
  }

  waitFor(match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise(resolve => {
      const waiter = {
        match,
        done: () => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          resolve(this.lines.find(match)!);
        },
      };
      this.#waiters.push(waiter);
    });
  }
}
