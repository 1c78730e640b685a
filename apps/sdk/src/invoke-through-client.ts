import type { ProviderOperation, ProviderResponse, ProviderStream } from '@switchyard/core';
import { type InvokeArgs, ROUTER_ONLY_PARAMS } from '@switchyard/router';
import {
  countChatTokens,
  invokeShape,
  isShapeOperation,
  type ShapeOperation,
} from './api-shape-invoke';
import { invokeBound } from './bound-deployment';
import { CALL_OPTION_KEYS } from './call-options';
import { parseCallModel, type SwitchyardClient } from './switchyard-client';

/**
 * Performs one router attempt on one deployment through `client`: the
 * `invoke` of `@switchyard/router`'s `Router` when deployments are called
 * through the SDK (the SDK's `Router` passes it; so does the proxy,
 * which keeps the router's `{ data, headers, routing }` envelope). The
 * Anthropic and Responses operations are answered by the deployment's own
 * endpoint when its settings ask for it ({@link deploymentIsNative}),
 * otherwise translated to chat on this same deployment.
 */
export function invokeThroughClient(
  client: SwitchyardClient,
  args: InvokeArgs,
): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
  const operation = args.operation;
  if (isShapeOperation(operation)) {
    if (deploymentIsNative(args.deployment, operation)) {
      return invokeDeployment(client, {
        ...args,
        request: { ...args.request, native_endpoint: true },
      });
    }
    return invokeShape({
      operation,
      request: args.request,
      native: false,
      // Translation keeps only the API's fields: the call options (extra_headers, ...) ride along.
      carry: callOptionsOf(args.request),
      call: (op, request) => invokeDeployment(client, { ...args, operation: op, request }),
    });
  }
  if (operation === 'countTokens') {
    return canCountTokens(client, args.deployment.model).then(canCount =>
      countChatTokens({
        request: args.request,
        canCount,
        call: (op, request) => invokeDeployment(client, { ...args, operation: op, request }),
      }),
    );
  }
  return invokeDeployment(client, args);
}

/**
 * Whether a deployment answers `operation` with its upstream's own endpoint:
 * its `model_info.supported_endpoints` lists `/v1/messages` or
 * `/v1/responses` (LiteLLM's switch for native Responses), or, for
 * messages, `litellm_params.disable_anthropic_translation` is true
 * (LiteLLM's switch for hosted_vllm).
 */
export function deploymentIsNative(
  deployment: InvokeArgs['deployment'],
  operation: ShapeOperation,
): boolean {
  const messages = operation.startsWith('messages');
  const endpoints = deployment.modelInfo.supported_endpoints;
  if (Array.isArray(endpoints) && endpoints.includes(messages ? '/v1/messages' : '/v1/responses'))
    return true;
  return messages && deployment.litellmParams.disable_anthropic_translation === true;
}

async function canCountTokens(client: SwitchyardClient, model: string): Promise<boolean> {
  const provider = await client.providers.resolve(parseCallModel({ model }).provider);
  return typeof provider.countTokens === 'function';
}

function invokeDeployment(
  client: SwitchyardClient,
  args: InvokeArgs,
): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
  const bound = invokeBound(client, args, deploymentParams);
  if (bound !== undefined) return bound;
  const params: Record<string, unknown> = { ...deploymentParams(args.deployment) };
  // The router enforces the deadline itself through `signal`; passing
  // timeoutMs down as well would only arm a second timer per call.
  Object.assign(params, args.request, {
    model: args.deployment.model,
    signal: args.signal,
    num_retries: 0,
  });
  return client.invokeOperation(args.operation as ProviderOperation, params);
}

/** A deployment's `litellm_params` minus what only the router reads, worked out once per deployment. */
const callParams = new WeakMap<InvokeArgs['deployment'], Record<string, unknown>>();

function deploymentParams(deployment: InvokeArgs['deployment']): Record<string, unknown> {
  let params = callParams.get(deployment);
  if (params === undefined) {
    params = {};
    for (const [key, value] of Object.entries(deployment.litellmParams)) {
      if (!ROUTER_ONLY_PARAMS.has(key) && key !== 'model_info') params[key] = value;
    }
    callParams.set(deployment, params);
  }
  return params;
}

/** The call options a request carries (none usually: then no object is made). */
function callOptionsOf(request: Record<string, unknown>): Record<string, unknown> | undefined {
  let options: Record<string, unknown> | undefined;
  for (const key in request) {
    if (!CALL_OPTION_KEYS.has(key)) continue;
    options ??= {};
    options[key] = request[key];
  }
  return options;
}
