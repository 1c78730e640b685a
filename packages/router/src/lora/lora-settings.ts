/**
 * `lora_adapters` (a Switchyard router setting): serve vLLM LoRA adapters
 * through the model group of their base model. Without it the router
 * knows nothing of adapters (no polling, no loads).
 */
import { BadRequestError } from '@switchyard/core';
import {
  configError,
  isPlainObject,
  optionalBoolean,
  optionalNumber,
  optionalString,
  snakeKeys,
} from '../options/checks';

/** An adapter the router may load on demand. */
export interface LoraAdapterConfig {
  /** The model group whose replicas serve its base model. */
  model_group: string;
  /** What vLLM's `/v1/load_lora_adapter` is given as `lora_path` (a path on the engine's host, or a hub id). */
  path: string;
}

/** The `lora_adapters` router setting. */
export interface LoraAdaptersSettings {
  /**
   * Load an adapter that no replica holds, through vLLM's
   * `POST /v1/load_lora_adapter`, on the least-loaded replica of its group
   * (the engines need `VLLM_ALLOW_RUNTIME_LORA_UPDATING`). Default false:
   * only adapters some replica already serves are routed.
   */
  load_on_demand?: boolean;
  /** Adapters that may be loaded on demand, by name (the model name clients send). */
  adapters?: Record<string, LoraAdapterConfig>;
  /** Seconds between reads of each vLLM replica's `/v1/models` (which lists its adapters). Default 10. */
  refresh_interval?: number;
  /** Seconds one `/v1/models` read or adapter load may take. Default 5 for reads, 120 for loads. */
  request_timeout?: number;
  load_timeout?: number;
}

/** The setting after validation, times in ms. */
export interface LoraSettings {
  loadOnDemand: boolean;
  adapters: ReadonlyMap<string, LoraAdapterConfig>;
  refreshIntervalMs: number;
  requestTimeoutMs: number;
  loadTimeoutMs: number;
}

const KEYS = new Set([
  'load_on_demand',
  'adapters',
  'refresh_interval',
  'request_timeout',
  'load_timeout',
]);

/** Validates `lora_adapters`; undefined when it is not set. Every problem names its field. */
export function parseLoraSettings(raw: unknown): LoraSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  const where = 'lora_adapters';
  if (!isPlainObject(raw)) throw configError(where, 'an object', raw);
  const o = snakeKeys(raw, where);
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key)) {
      throw new BadRequestError({
        message: `Unknown router setting ${where}.${key} (known: ${[...KEYS].join(', ')})`,
        param: `${where}.${key}`,
      });
    }
  }
  const adapters = new Map<string, LoraAdapterConfig>();
  const list = o.adapters ?? {};
  if (!isPlainObject(list))
    throw configError(`${where}.adapters`, 'an object of name → { model_group, path }', list);
  for (const [name, entry] of Object.entries(list)) {
    const field = `${where}.adapters.${name}`;
    if (!isPlainObject(entry)) throw configError(field, '{ model_group, path }', entry);
    const group = optionalString(`${field}.model_group`, entry.model_group);
    const path = optionalString(`${field}.path`, entry.path);
    if (group === undefined)
      throw configError(`${field}.model_group`, 'a model group name', undefined);
    if (path === undefined)
      throw configError(`${field}.path`, 'the adapter path for vLLM', undefined);
    adapters.set(name, { model_group: group, path });
  }
  const seconds = (name: string, fallback: number) =>
    (optionalNumber(`${where}.${name}`, o[name], { min: 0.01 }) ?? fallback) * 1000;
  return {
    loadOnDemand: optionalBoolean(`${where}.load_on_demand`, o.load_on_demand) ?? false,
    adapters,
    refreshIntervalMs: seconds('refresh_interval', 10),
    requestTimeoutMs: seconds('request_timeout', 5),
    loadTimeoutMs: seconds('load_timeout', 120),
  };
}
