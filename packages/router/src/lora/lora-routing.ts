/**
 * LoRA adapters as model names: a request whose `model` is an adapter is
 * routed within its base model's group, to the replicas that serve the
 * adapter (from their `/v1/models`), and sent upstream with the adapter's
 * name as its model. When none serves it and the operator opted in
 * (`load_on_demand`), it is loaded first on the least-loaded replica — so
 * one model group serves many adapters without listing each one.
 */
import { HttpClient } from '@switchyard/core';
import type { Deployment } from '../deployments/deployment';
import type { ModelGroup } from '../deployments/model-registry';
import { engineBaseOf } from '../engine-load/metrics-url';
import type { RouterState } from '../state/router-state';
import { AdapterCatalog, isVllmDeployment } from './adapter-catalog';
import { AdapterLoader } from './adapter-loader';
import type { LoraSettings } from './lora-settings';

/** Options of {@link LoraRouting}. */
export interface LoraRoutingOptions {
  settings: LoraSettings;
  deployments: readonly Deployment[];
  state: RouterState;
  clock: () => number;
  random: () => number;
}

export class LoraRouting {
  readonly #settings: LoraSettings;
  readonly #deployments: readonly Deployment[];
  readonly #catalog: AdapterCatalog;
  readonly #loader: AdapterLoader;
  readonly #http: HttpClient;
  readonly #groups = new Map<string, { version: number; group: ModelGroup | undefined }>();

  constructor(options: LoraRoutingOptions) {
    const { settings } = options;
    this.#settings = settings;
    this.#deployments = options.deployments;
    const configuredGroups = new Set([...settings.adapters.values()].map(a => a.model_group));
    this.#http = new HttpClient({ connectTimeoutMs: settings.requestTimeoutMs });
    this.#catalog = new AdapterCatalog({
      deployments: options.deployments.filter(
        d =>
          isVllmDeployment(d) ||
          (configuredGroups.has(d.modelName) && engineBaseOf(d) !== undefined),
      ),
      refreshIntervalMs: settings.refreshIntervalMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      http: this.#http,
    });
    this.#loader = new AdapterLoader({
      catalog: this.#catalog,
      state: options.state,
      http: this.#http,
      timeoutMs: settings.loadTimeoutMs,
      clock: options.clock,
      random: options.random,
    });
    this.#catalog.start();
  }

  /** Resolves once every replica's adapters were read once. */
  ready(): Promise<void> {
    return this.#catalog.ready();
  }

  /** Reads every replica's adapters now. */
  refresh(): Promise<void> {
    return this.#catalog.refresh();
  }

  /**
   * The group serving adapter `model` now (its holders), or (for an adapter
   * that may be loaded on demand) its base group; undefined for a name that
   * is no adapter known here.
   */
  find(model: string): ModelGroup | undefined {
    const cached = this.#groups.get(model);
    if (cached && cached.version === this.#catalog.version) return cached.group;
    const holders = this.#catalog.holders(model);
    const config = this.#settings.adapters.get(model);
    let group: ModelGroup | undefined;
    if (holders.length > 0) {
      // Held in several groups (unusual): the configured group's replicas, else the first holder's.
      const name = config?.model_group ?? holders[0]!.modelName;
      const inGroup = holders.filter(d => d.modelName === name);
      group = adapterGroup(
        name,
        (inGroup.length > 0 ? inGroup : holders).map(d => asAdapter(d, model)),
      );
    } else if (config && this.#settings.loadOnDemand) {
      const base = this.#deployments.filter(d => d.modelName === config.model_group);
      if (base.length > 0)
        group = adapterGroup(
          config.model_group,
          base.map(d => asAdapter(d, model)),
        );
    }
    this.#groups.set(model, { version: this.#catalog.version, group });
    return group;
  }

  /**
   * Like {@link find}, loading the adapter first when no replica serves it
   * and loads on demand are on.
   */
  async resolve(model: string): Promise<ModelGroup | undefined> {
    if (this.#catalog.holders(model).length > 0) return this.find(model);
    const config = this.#settings.adapters.get(model);
    if (!config || !this.#settings.loadOnDemand) return undefined;
    const base = this.#deployments.filter(d => d.modelName === config.model_group);
    if (base.length === 0) return undefined;
    await this.#loader.load(model, config, base);
    return this.find(model);
  }

  /** Adapter names clients may send: every one a replica serves, and those loadable on demand. */
  names(): string[] {
    const names = new Set(this.#catalog.names());
    if (this.#settings.loadOnDemand)
      for (const name of this.#settings.adapters.keys()) names.add(name);
    return [...names];
  }

  async close(): Promise<void> {
    this.#catalog.close();
    await this.#http.close();
  }
}

/**
 * A deployment as it serves an adapter: same id (its load, cooldowns and
 * limits are the replica's), the adapter as the upstream model.
 */
function asAdapter(d: Deployment, adapter: string): Deployment {
  const slash = d.model.indexOf('/');
  const model = `${slash > 0 ? d.model.slice(0, slash) : 'hosted_vllm'}/${adapter}`;
  return { ...d, model, litellmParams: { ...d.litellmParams, model }, loraAdapter: adapter };
}

function adapterGroup(name: string, deployments: Deployment[]): ModelGroup {
  return {
    name,
    deployments,
    direct: false,
    hasLimits: deployments.some(d => d.rpm !== undefined || d.tpm !== undefined),
  };
}
