import type { ProviderOperation } from '@switchyard/core';
import type { Deployment } from '@switchyard/router';
import { invokeThroughClient } from '@switchyard/sdk';
import { errorResponse, sendJson } from '../http/send';
import type { ProxyContext, RouteDef } from '../server/proxy-context';

const PROBE_TEXT = 'ping';
const DEFAULT_PROBE_TIMEOUT_S = 60;

/** The cheapest real call for each `model_info.mode`. */
function probe(
  d: Deployment,
): { operation: ProviderOperation; request: Record<string, unknown> } | undefined {
  const model = d.model;
  switch (d.modelInfo.mode ?? 'chat') {
    case 'chat':
      return {
        operation: 'chat',
        request: { model, messages: [{ role: 'user', content: PROBE_TEXT }], max_tokens: 1 },
      };
    case 'completion':
      return { operation: 'textCompletion', request: { model, prompt: PROBE_TEXT, max_tokens: 1 } };
    case 'embedding':
      return { operation: 'embedding', request: { model, input: [PROBE_TEXT] } };
    case 'rerank':
      return {
        operation: 'rerank',
        request: { model, query: PROBE_TEXT, documents: [PROBE_TEXT] },
      };
    default:
      return undefined;
  }
}

async function checkDeployment(
  ctx: ProxyContext,
  d: Deployment,
): Promise<{ ok: boolean; entry: Record<string, unknown> }> {
  const entry: Record<string, unknown> = {
    model: d.model,
    model_name: d.modelName,
    model_id: d.id,
    api_base: d.apiBase ?? null,
  };
  const call = probe(d);
  if (!call)
    return {
      ok: false,
      entry: { ...entry, error: `mode ${String(d.modelInfo.mode)} has no health probe` },
    };
  const seconds = Number(d.modelInfo.health_check_timeout ?? DEFAULT_PROBE_TIMEOUT_S);
  try {
    await invokeThroughClient(ctx.client, {
      deployment: d,
      operation: call.operation,
      request: call.request,
      signal: AbortSignal.timeout(seconds * 1000),
      timeoutMs: seconds * 1000,
    });
    // A deployment that answers again should take traffic again now, not when its cooldown ends.
    await ctx.router.clearCooldown(d.id);
    return { ok: true, entry };
  } catch (error) {
    return { ok: false, entry: { ...entry, error: errorResponse(error).body.error.message } };
  }
}

/** `/health`: a real call to every deployment, as LiteLLM's does. */
export const healthRoute: RouteDef = {
  method: 'GET',
  auth: true,
  async handle(ctx: ProxyContext, ex) {
    const results = await Promise.all(ctx.router.deployments().map(d => checkDeployment(ctx, d)));
    const details = ctx.config.general_settings.health_check_details !== false;
    const strip = (e: Record<string, unknown>) => (details ? e : { model: e.model_name });
    const healthy = results.filter(r => r.ok).map(r => strip(r.entry));
    const unhealthy = results.filter(r => !r.ok).map(r => strip(r.entry));
    sendJson(ex.res, 200, {
      healthy_endpoints: healthy,
      unhealthy_endpoints: unhealthy,
      healthy_count: healthy.length,
      unhealthy_count: unhealthy.length,
    });
  },
};

/** `/health/liveliness`: the process answers. */
export const livelinessRoute: RouteDef = {
  method: 'GET',
  auth: false,
  handle(_ctx, ex) {
    sendJson(ex.res, 200, "I'm alive!");
  },
};
