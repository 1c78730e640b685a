import { parseModel } from '@switchyard/core';
import type { Deployment, RoutingInfo } from '@switchyard/router';
import type { ResponseMeta } from './response-meta';

/**
 * The {@link ResponseMeta} of a routed call, from what the router reports:
 * the deployment that answered (provider and model as that deployment sends
 * them), the upstream's headers, and the whole {@link RoutingInfo} (every
 * attempt, its error, the cooldown it started, the fallbacks walked).
 * `latencyMs` is the router's own total — retries, backoff and fallbacks
 * included — so it says what the caller waited.
 */
export function routedMeta(
  deployment: Deployment | undefined,
  headers: Record<string, string>,
  routing: RoutingInfo,
): ResponseMeta {
  // The router always names the deployment that answered; the fallbacks only
  // keep the meta well-formed if a custom invoke ever bypassed the registry.
  const parsed =
    deployment === undefined
      ? { provider: '', model: routing.modelGroup }
      : parseModel(deployment.model, customProvider(deployment));
  return {
    provider: parsed.provider,
    model: parsed.model,
    apiBase: routing.apiBase,
    headers,
    latencyMs: routing.timings.totalMs,
    attemptedRetries: routing.attemptedRetries,
    deploymentId: routing.deploymentId,
    modelGroup: routing.modelGroup,
    attemptedFallbacks: routing.attemptedFallbacks,
    routing,
  };
}

function customProvider(deployment: Deployment): string | undefined {
  const value = deployment.litellmParams.custom_llm_provider;
  return typeof value === 'string' ? value : undefined;
}
