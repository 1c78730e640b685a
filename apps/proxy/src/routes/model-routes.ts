import { isAdmin } from '../http/auth';
import { sendJson } from '../http/send';
import type { ProxyContext, RouteDef } from '../server/proxy-context';
import { visibleDeployments, visibleModels } from './model-visibility';

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
