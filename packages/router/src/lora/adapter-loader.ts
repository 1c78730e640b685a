/**
 * On-demand adapter loads: `POST /v1/load_lora_adapter {lora_name,
 * lora_path}` on the least-loaded healthy replica of the adapter's model
 * group — fewest requests in flight from this router (when the strategy
 * counts them), then fewest adapters already loaded, ties at random.
 * Concurrent requests for the same adapter share one load. An engine that
 * says the adapter is already loaded counts as a success (another router
 * loaded it); any other refusal is a 503 naming the adapter, the replica
 * and the engine's words, and the next request tries again.
 */
import { type HttpClient, isSwitchyardError, ServiceUnavailableError } from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import { engineBaseOf } from '../engine-load/metrics-url';
import type { RouterState } from '../state/router-state';
import type { AdapterCatalog } from './adapter-catalog';
import type { LoraAdapterConfig } from './lora-settings';

/** Options of {@link AdapterLoader}. */
export interface AdapterLoaderOptions {
  catalog: AdapterCatalog;
  state: RouterState;
  http: HttpClient;
  timeoutMs: number;
  clock: () => number;
  random: () => number;
}

export class AdapterLoader {
  readonly #options: AdapterLoaderOptions;
  readonly #inflight = new Map<string, Promise<Deployment>>();

  constructor(options: AdapterLoaderOptions) {
    this.#options = options;
  }

  /** Loads `name` on one of `replicas` (the base group's), once however many ask at the same time. */
  load(
    name: string,
    config: LoraAdapterConfig,
    replicas: readonly Deployment[],
  ): Promise<Deployment> {
    let job = this.#inflight.get(name);
    if (job === undefined) {
      job = this.#load(name, config, replicas).finally(() => this.#inflight.delete(name));
      this.#inflight.set(name, job);
    }
    return job;
  }

  async #load(
    name: string,
    config: LoraAdapterConfig,
    replicas: readonly Deployment[],
  ): Promise<Deployment> {
    const target = await this.#leastLoaded(name, replicas);
    try {
      await this.#options.http.bytes({
        url: `${engineBaseOf(target)}/v1/load_lora_adapter`,
        method: 'POST',
        json: { lora_name: name, lora_path: config.path },
        headers: target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {},
        timeoutMs: this.#options.timeoutMs,
      });
    } catch (error) {
      if (!alreadyLoaded(error)) throw loadFailed(name, target, error);
    }
    this.#options.catalog.noteLoaded(name, target.id);
    return target;
  }

  async #leastLoaded(name: string, replicas: readonly Deployment[]): Promise<Deployment> {
    const { state, clock, random, catalog } = this.#options;
    const now = clock();
    const stats = await state.snapshot({
      ids: replicas.map(d => d.id),
      now,
      usage: false,
      inFlight: true,
      latency: false,
    });
    let best: Deployment | undefined;
    let bestKey = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    let ties = 0;
    replicas.forEach((d, i) => {
      if (stats[i]!.cooldownUntil > now) return;
      const key = [stats[i]!.inFlight, catalog.countOn(d.id)];
      const order = key[0]! - bestKey[0]! || key[1]! - bestKey[1]!;
      if (order < 0) {
        best = d;
        bestKey = key;
        ties = 1;
      } else if (order === 0 && random() * ++ties < 1) {
        best = d;
      }
    });
    if (best === undefined) {
      throw new ServiceUnavailableError({
        message: `No healthy replica to load LoRA adapter ${name} on: every deployment of its model group is cooling down`,
        model: name,
      });
    }
    return best;
  }
}

/** vLLM's 400 for a second load of the same name: the adapter is there, which is what was wanted. */
function alreadyLoaded(error: unknown): boolean {
  return (
    isSwitchyardError(error) &&
    error.status === 400 &&
    /has already been loaded/.test(error.message)
  );
}

function loadFailed(name: string, d: Deployment, error: unknown): ServiceUnavailableError {
  const why = error instanceof Error ? error.message : String(error);
  return new ServiceUnavailableError({
    message: `Could not load LoRA adapter ${name} on deployment ${d.id} (${d.apiBase}): ${why}`,
    model: name,
    isRetryable: false,
    cause: error,
  });
}
