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
  /** Retries this call made before succeeding. */
  attemptedRetries: number;
  /** Router deployment id, when the call went through a Router. */
  deploymentId?: string;
  /** Router model group, when the call went through a Router. */
  modelGroup?: string;
  /** Fallbacks the router tried, when the call went through a Router. */
  attemptedFallbacks?: number;
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
