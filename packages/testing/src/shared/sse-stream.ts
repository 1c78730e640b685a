import type { ServerResponse } from 'node:http';
import { closeSignal } from './fault-responder';
import type { Fault } from './faults';

/** Options for {@link SseStream}. */
export interface SseStreamOptions {
  res: ServerResponse;
  /** The request's fault; `dropAfter` and `streamErrorAfter` act on this stream. */
  fault?: Fault;
  /** Framed text sent when `streamErrorAfter` fires (vLLM: the error event then `[DONE]`). */
  inBandError: () => string;
  /** Framed text `end()` sends last (vLLM: `data: [DONE]\n\n`; Triton: nothing). */
  terminator?: string;
  /** Defaults to `text/event-stream; charset=utf-8`, what both upstreams send. */
  contentType?: string;
}

/**
 * Writes one server-sent-events response chunk by chunk, respecting
 * back-pressure, and applies a fault's stream parts: after N chunks it cuts
 * the socket (`dropAfter`) or sends the in-band error (`streamErrorAfter`).
 * When the stream has fewer chunks than N, the fault fires at `end()`
 * instead, so it never silently does nothing.
 */
export class SseStream {
  readonly #res: ServerResponse;
  readonly #options: SseStreamOptions;
  #sent = 0;
  #stopped = false;
  /** Aborts when the connection closes; pass it to pacing timers. */
  readonly signal: AbortSignal;

  constructor(options: SseStreamOptions) {
    this.#res = options.res;
    this.#options = options;
    this.signal = closeSignal(options.res);
  }

  /** Sends the status line and headers. */
  open(status = 200): void {
    this.#res.writeHead(status, {
      'content-type': this.#options.contentType ?? 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
  }

  /** False once the stream stopped: client gone, socket dropped or error sent. */
  get active(): boolean {
    return !this.#stopped && !this.signal.aborted;
  }

  /** Chunks sent so far (terminator and in-band error not counted). */
  get sent(): number {
    return this.#sent;
  }

  /** Sends one framed event; resolves false when the caller should stop producing. */
  async send(framed: string): Promise<boolean> {
    if (!this.active || this.#faultFires()) return false;
    const ok = this.#res.write(framed);
    this.#sent++;
    if (!ok && !this.signal.aborted) {
      await new Promise<void>(resolve => {
        const done = () => {
          this.#res.off('drain', done);
          this.#res.off('close', done);
          resolve();
        };
        this.#res.on('drain', done);
        this.#res.on('close', done);
      });
    }
    return this.active;
  }

  /** Ends the stream with the terminator, unless a pending fault cuts it first. */
  end(): void {
    if (!this.active) return;
    const fault = this.#options.fault;
    if (fault?.dropAfter !== undefined || fault?.streamErrorAfter !== undefined) {
      this.#sent = Math.max(this.#sent, fault.dropAfter ?? 0, fault.streamErrorAfter ?? 0);
      if (this.#faultFires()) return;
    }
    this.#stopped = true;
    this.#res.end(this.#options.terminator ?? '');
  }

  #faultFires(): boolean {
    const fault = this.#options.fault;
    if (!fault) return false;
    if (fault.dropAfter !== undefined && this.#sent >= fault.dropAfter) {
      this.#stopped = true;
      cutConnection(this.#res);
      return true;
    }
    if (fault.streamErrorAfter !== undefined && this.#sent >= fault.streamErrorAfter) {
      this.#stopped = true;
      this.#res.end(this.#options.inBandError());
      return true;
    }
    return false;
  }
}

/**
 * Cuts the connection after what was already written reaches the wire:
 * destroying at once could discard the chunks the client is meant to see.
 */
export function cutConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) {
    res.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end();
}
