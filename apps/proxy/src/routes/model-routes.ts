import { sendJson } from '../http/send';
import type { ProxyContext, RouteDef } from '../server/proxy-context';

/** `litellm_params` keys never shown by `/model/info`. */
const SECRET_PARAMS = new Set([
  'api_key',
  'aws_secret_access_key',
  'aws_session_token',
  'vertex_credentials',
  'headers',
  'extra_headers',
]);

/** `/v1/models`: every model group and visible alias, in OpenAI's list shape. */
export const modelsRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle(ctx: ProxyContext, ex) {
    const data = ctx.router
      .modelGroups()
      .map(id => ({ id, object: 'model', created: ctx.createdAt, owned_by: 'openai' }));
    sendJson(ex.res, 200, { data, object: 'list' });
  },
};

/** `/model/info`: each deployment with its `litellm_params` (secrets removed) and `model_info`. */
export const modelInfoRoute: RouteDef = {
  method: 'GET',
  auth: true,
  handle(ctx: ProxyContext, ex) {
    const data = ctx.router.deployments().map(d => {
      const params: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(d.litellmParams))
        if (!SECRET_PARAMS.has(key)) params[key] = value;
      const slash = d.model.indexOf('/');
      return {
        model_name: d.modelName,
        litellm_params: params,
        model_info: {
          ...d.modelInfo,
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
