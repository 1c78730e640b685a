/**
 * Serialises sends on one ZeroMQ socket: the binding allows one send in
 * flight per socket, so messages queue here and go out in order. A send
 * that fails (the socket closed) drops the queue — publishing is
 * best-effort, as vLLM's is.
 */
export class SendQueue {
  readonly #send: (frames: (Buffer | Uint8Array)[]) => Promise<void>;
  readonly #pending: (Buffer | Uint8Array)[][] = [];
  #running: Promise<void> | undefined;

  constructor(send: (frames: (Buffer | Uint8Array)[]) => Promise<void>) {
    this.#send = send;
  }

  /** Queues one multipart message. */
  push(frames: (Buffer | Uint8Array)[]): void {
    this.#pending.push(frames);
    this.#running ??= this.#run();
  }

  /** Resolves once everything queued so far was sent (or dropped). */
  async drain(): Promise<void> {
    await this.#running;
  }

  async #run(): Promise<void> {
    try {
      for (let frames = this.#pending.shift(); frames; frames = this.#pending.shift()) {
        await this.#send(frames);
      }
    } catch {
      this.#pending.length = 0;
    } finally {
      this.#running = undefined;
    }
  }
}
