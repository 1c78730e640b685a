/**
 * A publisher speaking vLLM's `ZmqEventPublisher` protocol: a PUB socket
 * sending `[topic, seq (8-byte big-endian), payload]`, sequence numbers
 * from 0, and a ROUTER replay socket that answers a request for a starting
 * sequence with every buffered batch from there, then an end marker of
 * sequence −1 and an empty payload. The vLLM emulator publishes its prefix
 * cache through it; anything else that wants to look like a vLLM engine can too.
 */
import { Publisher, Router } from 'zeromq';
import { SendQueue } from './send-queue';
import { encodeEventBatch, type OutgoingEvent } from './wire-format';

/** Options of {@link KvEventPublisher.bind}. */
export interface KvEventPublisherOptions {
  /** PUB address to bind, e.g. `tcp://127.0.0.1:5557`; `:*` picks a free port. */
  endpoint: string;
  /** ROUTER address to bind for replay requests; none when left out. */
  replayEndpoint?: string;
  /** Topic frame of every message; vLLM's default is empty. */
  topic?: string;
  /** Batches kept for replay (vLLM's `buffer_steps`). Default 10,000. */
  bufferSteps?: number;
  /** `data_parallel_rank` written into batches; left out by default. */
  dataParallelRank?: number;
}

const END_SEQ = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** A running publisher. */
export class KvEventPublisher {
  readonly #pub: Publisher;
  readonly #replay: Router | undefined;
  readonly #pubQueue: SendQueue;
  readonly #topic: Buffer;
  readonly #buffer: { seq: number; payload: Uint8Array }[] = [];
  readonly #bufferSteps: number;
  readonly #rank: number | undefined;
  #seq = 0;
  #closed = false;

  private constructor(
    pub: Publisher,
    replay: Router | undefined,
    options: KvEventPublisherOptions,
  ) {
    this.#pub = pub;
    this.#replay = replay;
    this.#pubQueue = new SendQueue(frames => pub.send(frames));
    this.#topic = Buffer.from(options.topic ?? '', 'utf8');
    this.#bufferSteps = options.bufferSteps ?? 10_000;
    this.#rank = options.dataParallelRank;
    if (replay) void this.#serveReplay(replay);
  }

  /** Binds the sockets. */
  static async bind(options: KvEventPublisherOptions): Promise<KvEventPublisher> {
    const pub = new Publisher({ linger: 0, sendHighWaterMark: 100_000 });
    await pub.bind(options.endpoint);
    let replay: Router | undefined;
    if (options.replayEndpoint !== undefined) {
      replay = new Router({ linger: 0 });
      await replay.bind(options.replayEndpoint);
    }
    return new KvEventPublisher(pub, replay, options);
  }

  /** The PUB address actually bound (with the port a `:*` endpoint got). */
  get endpoint(): string {
    return this.#pub.lastEndpoint ?? '';
  }

  /** The replay address actually bound, when there is one. */
  get replayEndpoint(): string | undefined {
    return this.#replay?.lastEndpoint ?? undefined;
  }

  /** The sequence number the next batch gets. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** Publishes one batch now (sequence numbers follow the call order). */
  publish(events: OutgoingEvent[], ts = Date.now() / 1000): void {
    const message = this.#record(events, ts);
    if (message) this.#pubQueue.push(message);
  }

  /**
   * Buffers a batch for replay without sending it, as if the PUB socket had
   * dropped it: subscribers see a sequence gap the replay can fill. For
   * fault tests.
   */
  publishDropped(events: OutgoingEvent[], ts = Date.now() / 1000): void {
    this.#record(events, ts);
  }

  #record(events: OutgoingEvent[], ts: number): Buffer[] | undefined {
    if (this.#closed || events.length === 0) return undefined;
    const seq = this.#seq++;
    const payload = Buffer.from(encodeEventBatch({ ts, events, dataParallelRank: this.#rank }));
    this.#buffer.push({ seq, payload });
    if (this.#buffer.length > this.#bufferSteps) this.#buffer.shift();
    return [this.#topic, seqBytes(seq), payload];
  }

  async #serveReplay(replay: Router): Promise<void> {
    const queue = new SendQueue(frames => replay.send(frames));
    try {
      for await (const frames of replay) {
        // [identity, empty delimiter, start seq] — anything else is ignored, as vLLM does.
        if (frames.length !== 3) continue;
        const [identity, , start] = frames as [Buffer, Buffer, Buffer];
        if (start.length !== 8) continue;
        const from = Number(start.readBigUInt64BE(0));
        for (const { seq, payload } of this.#buffer) {
          if (seq >= from) queue.push([identity, Buffer.alloc(0), seqBytes(seq), payload]);
        }
        queue.push([identity, Buffer.alloc(0), END_SEQ, Buffer.alloc(0)]);
      }
    } catch {
      // Closed while receiving: nothing left to serve.
    }
  }

  /** Closes both sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pubQueue.drain();
    // Unbound and awaited before the close: close() alone lets ZeroMQ's I/O
    // thread release the listening port later, so an engine restarted in the
    // same process could find its own endpoint still taken (EADDRINUSE).
    await releaseEndpoint(this.#pub);
    if (this.#replay) await releaseEndpoint(this.#replay);
    this.#pub.close();
    this.#replay?.close();
  }
}

/** Unbinds a socket from the endpoint it bound; one already gone has nothing to release. */
async function releaseEndpoint(socket: Publisher | Router): Promise<void> {
  const endpoint = socket.lastEndpoint;
  if (endpoint === null || endpoint === undefined || socket.closed) return;
  try {
    await socket.unbind(endpoint);
  } catch {
    // Not bound any more (or the context is ending): close() below is all that is left to do.
  }
}

function seqBytes(seq: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(seq), 0);
  return bytes;
}
