import {
  type CallContext,
  type Provider,
  type ProviderOperation,
  type ProviderResponse,
  type ProviderStream,
  parseOrThrow,
} from '@switchyard/core';
import type { InvokeArgs } from '@switchyard/router';
import { CALL_OPTION_KEYS, splitCall } from './call-options';
import { OPERATION_SCHEMAS } from './operation-schemas';
import { runOperation } from './run-operation';
import { parseCallModel, type SwitchyardClient } from './switchyard-client';

type Deployment = InvokeArgs['deployment'];
type Bag = Record<string, unknown>;

/**
 * Everything a call on one deployment shares, worked out once from its
 * `litellm_params`: the provider, the request fields it sets (default
 * sampling parameters) and the call context minus the per-call signal.
 * Splitting the same `litellm_params` into request and options on every
 * call cost a dozen short-lived objects per request on the proxy's path.
 */
interface BoundDeployment {
  client: SwitchyardClient;
  provider: Provider;
  /** Request fields from `litellm_params`, or undefined when it sets none. */
  defaults: Bag | undefined;
  /** The call context shared by every call; `signal` is set per call. */
  ctx: Readonly<CallContext>;
  /**
   * The deployment's `headers` alone (not its `extra_headers`): what a
   * request's own `extra_headers` are merged under, as the general path does.
   */
  ownHeaders: Readonly<Record<string, string>> | undefined;
}

const bindings = new WeakMap<Deployment, BoundDeployment>();

/**
 * The deployment's binding, made on first use. Undefined (use the general
 * path) while the provider is not loaded yet, or when `litellm_params` sets
 * `extra_body`, whose merge order the general path owns.
 */
function bindingFor(
  client: SwitchyardClient,
  deployment: Deployment,
  paramsOf: (deployment: Deployment) => Bag,
): BoundDeployment | undefined {
  const known = bindings.get(deployment);
  if (known !== undefined && known.client === client) return known;
  const all: Bag = { ...paramsOf(deployment), model: deployment.model };
  const parsed = parseCallModel(all);
  const provider = client.providers.peek(parsed.provider);
  if (provider === undefined) return undefined;
  const { request, options } = splitCall(all, provider.optionKeys);
  if (options.extraBody !== undefined) return undefined;
  const { model: _model, ...defaults } = request;
  const binding: BoundDeployment = {
    client,
    provider,
    defaults: Object.keys(defaults).length > 0 ? defaults : undefined,
    ctx: {
      model: parsed.model,
      apiBase: options.apiBase,
      apiKey: options.apiKey,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      signal: undefined,
      dropParams: options.dropParams,
      options: options.providerOptions,
      http: client.httpFor(options.ssl),
    },
    ownHeaders: isHeaderBag(all.headers) ? all.headers : undefined,
  };
  bindings.set(deployment, binding);
  return binding;
}

/**
 * A router attempt through the deployment's binding, or undefined when the
 * call needs the general path: the request carries call options (other
 * than `extra_headers`) or provider settings of its own, names another
 * model, or the provider lacks
 * the operation (the general path says so in its error). Same request,
 * same context, same provider call as the general path, without
 * re-splitting `litellm_params` per call. `paramsOf` gives a deployment's
 * call parameters (its `litellm_params` minus what only the router reads).
 */
export function invokeBound(
  client: SwitchyardClient,
  args: InvokeArgs,
  paramsOf: (deployment: Deployment) => Bag,
): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> | undefined {
  const request = args.request;
  if (request.model !== args.deployment.model) return undefined;
  let bound: BoundDeployment | undefined;
  try {
    bound = bindingFor(client, args.deployment, paramsOf);
  } catch (error) {
    // A TLS file that cannot be read: the attempt fails, the next one tries again.
    return Promise.reject(error);
  }
  if (bound === undefined) return undefined;
  const operation = args.operation as ProviderOperation;
  if (typeof bound.provider[operation] !== 'function') return undefined;
  const optionKeys = bound.provider.optionKeys;
  let extraHeaders: Record<string, string> | undefined;
  for (const key in request) {
    // `extra_headers` alone stays on this path: tracing adds `traceparent` to every call.
    if (key === 'extra_headers' && isHeaderBag(request[key])) {
      extraHeaders = request[key];
      continue;
    }
    if (CALL_OPTION_KEYS.has(key) || optionKeys?.includes(key)) return undefined;
  }
  let body: Bag =
    extraHeaders !== undefined
      ? withoutKey(request, 'extra_headers', bound.defaults)
      : bound.defaults === undefined
        ? request
        : { ...bound.defaults, ...request };
  try {
    if (client.validatesRequests) body = parseOrThrow(OPERATION_SCHEMAS[operation], body) as Bag;
  } catch (error) {
    return Promise.reject(error);
  }
  const ctx: CallContext = { ...bound.ctx, signal: args.signal };
  // The general path's merge: the request's extra_headers replace the deployment's, its `headers` win.
  if (extraHeaders !== undefined) ctx.headers = { ...extraHeaders, ...bound.ownHeaders };
  return runOperation(bound.provider, operation, body, ctx);
}

function isHeaderBag(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `defaults` overlaid with `bag` without `key` (a copy; the caller's request is never changed). */
function withoutKey(bag: Bag, key: string, defaults: Bag | undefined): Bag {
  const out: Bag = { ...defaults };
  for (const k in bag) if (k !== key) out[k] = bag[k];
  return out;
}
