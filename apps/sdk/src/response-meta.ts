import type { RoutingInfo } from '@switchyard/router';

/**
 * What the SDK knows about how a result was produced. It rides on every
 * result as the non-enumerable `_hidden_params` (LiteLLM's name for the same
 * thing), so `JSON.stringify(result)` stays exactly the OpenAI object.
 */
export interface ResponseMeta {
  /** Provider id (`hosted_vllm`, `triton`). */
  provider: string;
  /** Model name as sent upstream (no prefix). */
  model: string;
  /** The upstream base URL used. */
  apiBase: string | undefined;
  /** Upstream response headers, lower-cased. */
  headers: Record<string, string>;
  /** Time from the call to the result (streams: to the response headers), ms. */
  latencyMs: number;
  /** Retries this call made before succeeding (through a Router: in the group that answered). */
  attemptedRetries: number;
  /** The deployment that answered (LiteLLM's `model_id`), when the call went through a Router. */
  deploymentId?: string;
  /** The model group that answered (a fallback's, when one answered), through a Router. */
  modelGroup?: string;
  /** Fallback groups the router tried, when the call went through a Router. */
  attemptedFallbacks?: number;
  /**
   * Everything the router did, when the call went through a Router: every
   * attempt in order (deployment, duration, error, the cooldown its failure
   * started), timings, the retry budget. `routingHeaders(meta.routing)`
   * gives LiteLLM's `x-litellm-*` headers for it.
   */
  routing?: RoutingInfo;
}

/** Attaches `meta` to `target` as a non-enumerable `_hidden_params`. */
export function attachMeta<T extends object>(target: T, meta: ResponseMeta): T & WithMeta {
  Object.defineProperty(target, '_hidden_params', {
    value: meta,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return target as T & WithMeta;
}

/** A result carrying its {@link ResponseMeta}. */
export interface WithMeta {
  readonly _hidden_params: ResponseMeta;
}

/** The {@link ResponseMeta} of a result or stream returned by the SDK. */
export function getResponseMeta(result: unknown): ResponseMeta | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  return (result as Partial<WithMeta>)._hidden_params;
}
