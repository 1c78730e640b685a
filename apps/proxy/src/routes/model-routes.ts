import { isAdmin } from '../http/auth';
import { sendJson } from '../http/send';
import type { ProxyContext, RouteDef } from '../server/proxy-context';
import { canSeeModel, visibleDeployments, visibleModels } from './model-visibility';
import { modelNotFound } from './routed-call';

/** `litellm_params` keys never shown by `/model/info`. */
const SECRET_PARAMS = new Set([
  'api_key',
  'aws_secret_access_key',
  'aws_session_token',
  'vertex_credentials',
  'headers',
  'extra_headers',
]);

/** `litellm_params` keys that say where the upstream is: shown to admins only. */
const ADDRESS_PARAMS = new Set(['api_base', 'base_url', 'apiBase', 'baseUrl']);

/**
 * Whether a `litellm_params` entry may be shown: never a secret; to a
 * virtual key no upstream address either (an `api_base`, or any URL a
 * provider's own setting holds).
 */
function showParam(key: string, value: unknown, admin: boolean): boolean {
  if (SECRET_PARAMS.has(key)) return false;
  if (admin) return true;
  return !ADDRESS_PARAMS.has(key) && !(typeof value === 'string' && value.includes('://'));
}

/** `/v1/models`: the model groups and visible aliases the caller may call, in OpenAI's list shape. */
export const modelsRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle(ctx: ProxyContext, ex) {
    const data = visibleModels(ctx, ex.principal).map(id => ({
      id,
      object: 'model',
      created: ctx.createdAt,
      owned_by: 'openai',
    }));
    sendJson(ex.res, 200, { data, object: 'list' });
  },
};

/**
/**
 * `/v1/models/{model}` (OpenAI's retrieve): the model in the list's shape,
 * or OpenAI's 404 `model_not_found` listing what the caller may call. Any
 * name the proxy answers requests for (a group or an alias) is found, if
 * the caller may call it: a virtual key finds only what `/v1/models` shows it.
 */
export const modelRetrieveRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle(ctx: ProxyContext, ex) {
    const id = ex.pathParam ?? '';
    if (ctx.router.modelGroup(id) === undefined || !canSeeModel(ctx, ex.principal, id))
      throw modelNotFound(id, visibleModels(ctx, ex.principal));
    sendJson(ex.res, 200, { id, object: 'model', created: ctx.createdAt, owned_by: 'openai' });
  },
};

/**
 * `/model/info`: each deployment the caller may call, with its
 * `litellm_params` (secrets removed; for a virtual key, upstream addresses
 * too) and `model_info`.
 */
export const modelInfoRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle(ctx: ProxyContext, ex) {
    const admin = isAdmin(ex.principal);
    const data = visibleDeployments(ctx, ex.principal).map(d => {
      const params: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(d.litellmParams))
        if (showParam(key, value, admin)) params[key] = value;
      const info: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(d.modelInfo))
        if (showParam(key, value, admin)) info[key] = value;
      const slash = d.model.indexOf('/');
      return {
        model_name: d.modelName,
        litellm_params: params,
        model_info: {
          ...info,
          id: d.id,
          mode: d.modelInfo.mode ?? 'chat',
          litellm_provider:
            slash > 0 ? d.model.slice(0, slash) : (params.custom_llm_provider ?? null),
          max_input_tokens: d.maxInputTokens ?? null,
        },
      };
    });
    sendJson(ex.res, 200, { data });
  },
};
