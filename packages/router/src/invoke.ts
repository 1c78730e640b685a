import type { ProviderOperation, ProviderResponse, ProviderStream } from '@switchyard/core';
import type { Deployment } from './deployments/deployment';

/** What the router hands to {@link Invoke} for one call on one deployment. */
export interface InvokeArgs {
  /** The chosen deployment (resolved `litellm_params`, id, limits). */
  deployment: Deployment;
  /** The provider operation to run (`chat`, `chatStream`, `embedding`, …). */
  operation: ProviderOperation;
  /**
   * The OpenAI-shaped request with `model` set to the deployment's
   * `litellm_params.model` and the router's own fields (`fallbacks`,
   * `num_retries`, `timeout`, `metadata`, …) removed; a Messages or
   * Responses request keeps its `metadata`, a field of those APIs.
   */
  request: Record<string, unknown>;
  /** Fires when the caller aborts or the router's deadline for this call passes. */
  signal: AbortSignal;
  /** Deadline for this call (streams: until the response starts), in ms. */
  timeoutMs: number | undefined;
}

/**
 * Performs one call on one deployment. The router knows nothing of HTTP or
 * providers: the SDK passes something like
 * `({ deployment, operation, request, signal, timeoutMs }) => provider[operation](request, ctx)`.
 * Non-streaming operations resolve to a {@link ProviderResponse}; streaming
 * ones (`chatStream`, `textCompletionStream`) to a {@link ProviderStream}.
 * Failures must be Switchyard errors (`@switchyard/core`): anything else is
 * treated as a bug and surfaced without retry or fallback.
 */
export type Invoke = (
  args: InvokeArgs,
) => Promise<ProviderResponse<unknown> | ProviderStream<unknown>>;
