/**
 * Follows one vLLM engine's KV-cache events: a SUB socket on its publisher,
 * batches handed over in sequence order, and the replay socket asked for
 * what a sequence gap skipped (or, on connecting, for what the engine
 * buffered before). What cannot be followed is said plainly: a sequence
 * that goes back (the engine restarted) or a gap the replay cannot fill is
 * a reset, and the consumer drops what it learned from this engine.
 * Everything runs on the event loop in small synchronous steps; nothing
 * here waits on a request or makes one wait.
 */
import { Dealer, Subscriber } from 'zeromq';
import { decodeEventBatch, type KvEventBatch } from './wire-format';

/** What a subscriber reports. */
export interface KvEventHandler {
  /** One batch, in sequence order. */
  onBatch(batch: KvEventBatch, seq: number): void;
  /**
   * The stream could not be followed without a hole: `restart` when the
   * sequence went back (a new engine process), `gap` when missed batches
   * could not be replayed. What was learned from this engine may be wrong.
   */
  onReset(reason: 'restart' | 'gap'): void;
  /** A message that could not be decoded (it is skipped). */
  onError?(error: Error): void;
}

/** Options of {@link KvEventSubscriber}. */
export interface KvEventSubscriberOptions {
  /** The engine's PUB address, e.g. `tcp://10.0.0.5:5557`. */
  endpoint: string;
  /** The engine's replay (ROUTER) address, when it has one. */
  replayEndpoint?: string;
  /** Topic to subscribe to; vLLM's default is empty (everything). */
  topic?: string;
  /** How long a replay may take before the gap counts as unfillable. Default 2000 ms. */
  replayTimeoutMs?: number;
  /** On the first batch, replay what the engine buffered before it. Default true. */
  replayOnConnect?: boolean;
  handler: KvEventHandler;
  clock?: () => number;
}

interface Received {
  seq: number;
  payload: Uint8Array;
}

/** A subscription to one engine's events. */
export class KvEventSubscriber {
  readonly #options: KvEventSubscriberOptions;
  readonly #sub: Subscriber;
  readonly #clock: () => number;
  #last: number | undefined;
  #held: Received[] | undefined;
  #lastBatchAt: number | undefined;
  #closed = false;

  constructor(options: KvEventSubscriberOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#sub = new Subscriber({ linger: 0, receiveHighWaterMark: 100_000 });
    this.#sub.connect(options.endpoint);
    this.#sub.subscribe(options.topic ?? '');
    void this.#listen();
  }

  /** When the last batch arrived (clock ms), or undefined before the first. */
  get lastBatchAt(): number | undefined {
    return this.#lastBatchAt;
  }

  /** The last sequence number handed over. */
  get lastSeq(): number | undefined {
    return this.#last;
  }

  async #listen(): Promise<void> {
    try {
      for await (const frames of this.#sub) {
        const seqFrame = frames[1];
        const payload = frames[2];
        if (seqFrame?.length !== 8 || !payload) continue;
        this.#receive({ seq: Number(seqFrame.readBigInt64BE(0)), payload });
      }
    } catch {
      // Closed: the loop ends.
    }
  }

  #receive(message: Received): void {
    if (this.#held) {
      this.#held.push(message);
      return;
    }
    const last = this.#last;
    const canReplay = this.#options.replayEndpoint !== undefined;
    if (last === undefined) {
      if (message.seq > 0 && canReplay && this.#options.replayOnConnect !== false) {
        this.#resync(0, message);
        return;
      }
    } else if (message.seq <= last) {
      this.#last = undefined;
      this.#options.handler.onReset('restart');
    } else if (message.seq > last + 1) {
      if (canReplay) {
        this.#resync(last + 1, message);
        return;
      }
      this.#options.handler.onReset('gap');
    }
    this.#deliver(message);
  }

  #deliver(message: Received): void {
    this.#last = message.seq;
    this.#lastBatchAt = this.#clock();
    let batch: KvEventBatch;
    try {
      batch = decodeEventBatch(message.payload);
    } catch (error) {
      this.#options.handler.onError?.(error as Error);
      return;
    }
    this.#options.handler.onBatch(batch, message.seq);
  }

  /** Asks the replay socket for `from` onwards, holding live messages meanwhile. */
  #resync(from: number, live: Received): void {
    this.#held = [live];
    void this.#replay(from).then(
      replayed => this.#finishResync(from, replayed),
      () => this.#finishResync(from, []),
    );
  }

  #finishResync(from: number, replayed: Received[]): void {
    if (this.#closed) return;
    const held = this.#held ?? [];
    this.#held = undefined;
    let expected = from;
    for (const message of [...replayed, ...held]) {
      if (this.#last !== undefined && message.seq <= this.#last) continue;
      // The replay buffer no longer reaches back far enough: a hole stays.
      if (message.seq > expected && !(from === 0 && this.#last === undefined)) {
        this.#options.handler.onReset('gap');
      }
      this.#deliver(message);
      expected = message.seq + 1;
    }
  }

  async #replay(from: number): Promise<Received[]> {
    const dealer = new Dealer({
      linger: 0,
      receiveTimeout: this.#options.replayTimeoutMs ?? 2000,
    });
    try {
      dealer.connect(this.#options.replayEndpoint!);
      const start = Buffer.alloc(8);
      start.writeBigUInt64BE(BigInt(from), 0);
      await dealer.send([Buffer.alloc(0), start]);
      const out: Received[] = [];
      for (;;) {
        const [, seqFrame, payload] = await dealer.receive();
        if (seqFrame?.length !== 8) continue;
        const seq = Number(seqFrame.readBigInt64BE(0));
        if (seq === -1) return out;
        if (payload) out.push({ seq, payload });
      }
    } finally {
      dealer.close();
    }
  }

  /** Stops listening. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sub.close();
  }
}
