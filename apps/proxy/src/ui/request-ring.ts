import type { ReportedUsage } from '../metrics/proxy-metrics';

/** Requests the Requests page can show: the newest are kept, the oldest dropped. */
export const REQUEST_RING_SIZE = 500;

/** One finished request as the Requests page lists it. */
export interface RecentRequest {
  /** ms since epoch when it finished. */
  at: number;
  callId: string;
  method: string;
  route: string;
  status: number;
  model: string | null;
  modelGroup: string | null;
  deploymentId: string | null;
  latencyMs: number;
  ttftMs: number | null;
  /** Token counts exactly as the upstream reported them (null: not reported). */
  usage: ReportedUsage | null;
  /** The virtual key's hash (its `token`, as spend logs name it), `master`, or null (no key needed). */
  keyToken: string | null;
  keyAlias: string | null;
  teamId: string | null;
  userId: string | null;
  errorClass: string | null;
  /** The prompt text, only when the operator turned prompt storage on. */
  prompt: string | null;
}

/**
 * A fixed-size ring of the latest requests. Slots are written in place;
 * nothing is kept beyond {@link REQUEST_RING_SIZE}, so an unwatched proxy
 * holds the same memory after a billion requests as after a thousand.
 */
export class RequestRing {
  readonly #slots: Array<RecentRequest | undefined>;
  #next = 0;
  #count = 0;

  constructor(readonly size = REQUEST_RING_SIZE) {
    this.#slots = new Array(size);
  }

  push(entry: RecentRequest): void {
    this.#slots[this.#next] = entry;
    this.#next = (this.#next + 1) % this.size;
    if (this.#count < this.size) this.#count++;
  }

  /** Up to `limit` entries, newest first. */
  latest(limit: number): RecentRequest[] {
    const n = Math.min(limit, this.#count);
    const out: RecentRequest[] = [];
    for (let k = 1; k <= n; k++) {
      out.push(this.#slots[(this.#next - k + this.size) % this.size]!);
    }
    return out;
  }
}
