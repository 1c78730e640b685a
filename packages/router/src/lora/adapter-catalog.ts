/**
 * Which replica serves which LoRA adapter, as the engines say: vLLM lists
 * each loaded adapter in `GET /v1/models` as a card whose `parent` is the
 * base model. Every followed replica is read at start and every
 * `refreshIntervalMs` after, in the background; a replica that cannot be
 * read keeps what it last said (routing's own retries handle a replica that
 * lost an adapter: vLLM answers 404 and the next holder is tried). Loads
 * made by this router are noted at once, before the next read.
 */
import type { HttpClient } from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import { engineBaseOf } from '../engine-load/metrics-url';

/** Options of {@link AdapterCatalog}. */
export interface AdapterCatalogOptions {
  /** The replicas to follow (vLLM deployments). */
  deployments: readonly Deployment[];
  refreshIntervalMs: number;
  requestTimeoutMs: number;
  http: HttpClient;
}

/** Whether a deployment is a vLLM engine whose adapters can be read and loaded. */
export function isVllmDeployment(d: Deployment): boolean {
  return d.model.startsWith('hosted_vllm/') && engineBaseOf(d) !== undefined;
}

export class AdapterCatalog {
  readonly #deployments: readonly Deployment[];
  /** Deployment id to the adapter names it serves. */
  readonly #held = new Map<string, Set<string>>();
  readonly #options: AdapterCatalogOptions;
  #timer: NodeJS.Timeout | undefined;
  #first: Promise<void> = Promise.resolve();
  /** Bumped on every change, so cached groups know when to rebuild. */
  version = 0;

  constructor(options: AdapterCatalogOptions) {
    this.#options = options;
    this.#deployments = options.deployments;
  }

  /** Reads every replica now, then every interval. */
  start(): void {
    this.#first = this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#options.refreshIntervalMs);
    this.#timer.unref();
  }

  /** Resolves once the first read of every replica has ended (answered or failed). */
  ready(): Promise<void> {
    return this.#first;
  }

  /** Reads every replica's `/v1/models` now. */
  async refresh(): Promise<void> {
    await Promise.all(this.#deployments.map(d => this.#read(d)));
  }

  /** The followed deployments serving `adapter`. */
  holders(adapter: string): Deployment[] {
    return this.#deployments.filter(d => this.#held.get(d.id)?.has(adapter) === true);
  }

  /** Every adapter some replica serves. */
  names(): string[] {
    const names = new Set<string>();
    for (const set of this.#held.values()) for (const name of set) names.add(name);
    return [...names];
  }

  /** How many adapters a replica serves (to spread loads). */
  countOn(deploymentId: string): number {
    return this.#held.get(deploymentId)?.size ?? 0;
  }

  /** Notes a load this router made. */
  noteLoaded(adapter: string, deploymentId: string): void {
    let set = this.#held.get(deploymentId);
    if (!set) {
      set = new Set();
      this.#held.set(deploymentId, set);
    }
    if (!set.has(adapter)) {
      set.add(adapter);
      this.version++;
    }
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  async #read(d: Deployment): Promise<void> {
    let cards: unknown;
    try {
      const { data } = await this.#options.http.json<{ data?: unknown }>({
        url: `${engineBaseOf(d)}/v1/models`,
        method: 'GET',
        headers: d.apiKey ? { authorization: `Bearer ${d.apiKey}` } : {},
        timeoutMs: this.#options.requestTimeoutMs,
      });
      cards = data.data;
    } catch {
      return;
    }
    if (!Array.isArray(cards)) return;
    const adapters = new Set<string>();
    for (const card of cards) {
      const c = card as { id?: unknown; parent?: unknown } | null;
      if (typeof c?.id === 'string' && typeof c.parent === 'string' && c.parent !== '') {
        adapters.add(c.id);
      }
    }
    const before = this.#held.get(d.id);
    if (before && before.size === adapters.size && [...adapters].every(a => before.has(a))) return;
    this.#held.set(d.id, adapters);
    this.version++;
  }
}
