import { isSwitchyardError, type ProviderOperation } from '@switchyard/core';
import type { Deployment } from '@switchyard/router';
import { invokeThroughClient } from '@switchyard/sdk';
import { isAdmin } from '../http/auth';
import { errorResponse, sendJson } from '../http/send';
import type { ProxyContext, RouteDef } from '../server/proxy-context';
import { visibleDeployments } from './model-visibility';

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

/** One probe's outcome: the entry as an admin sees it, and the failure's class for anyone else. */
interface ProbeResult {
  ok: boolean;
  entry: Record<string, unknown>;
  errorClass?: string;
}

async function checkDeployment(ctx: ProxyContext, d: Deployment): Promise<ProbeResult> {
  const entry: Record<string, unknown> = {
    model: d.model,
    model_name: d.modelName,
    model_id: d.id,
    api_base: d.apiBase ?? null,
  };
  const call = probe(d);
  if (!call) {
    const error = `mode ${String(d.modelInfo.mode)} has no health probe`;
    return { ok: false, entry: { ...entry, error }, errorClass: error };
  }
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
    return {
      ok: false,
      entry: { ...entry, error: errorResponse(error).body.error.message },
      errorClass: isSwitchyardError(error) ? error.name : 'InternalError',
    };
  }
}

/**
 * An entry as the caller may see it: admins get every detail (the upstream
 * address and error text are theirs to debug with); a virtual key gets the
 * model, its id and the error's class, never an address or upstream text.
 */
function shown(result: ProbeResult, admin: boolean): Record<string, unknown> {
  if (admin) return result.entry;
  const { model, model_name, model_id } = result.entry;
  const entry: Record<string, unknown> = { model, model_name, model_id };
  if (!result.ok) entry.error = result.errorClass;
  return entry;
}

/**
 * `/health`: a real call to every deployment, as LiteLLM's does; for a
 * virtual key only the deployments it may call, without upstream details.
 */
export const healthRoute: RouteDef = {
  method: 'GET',
  auth: true,
  async handle(ctx: ProxyContext, ex) {
    const deployments = visibleDeployments(ctx, ex.principal);
    const results = await Promise.all(deployments.map(d => checkDeployment(ctx, d)));
    const details = ctx.config.general_settings.health_check_details !== false;
    const admin = isAdmin(ex.principal);
    const strip = (r: ProbeResult) => (details ? shown(r, admin) : { model: r.entry.model_name });
    const healthy = results.filter(r => r.ok).map(strip);
    const unhealthy = results.filter(r => !r.ok).map(strip);
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
