import type { ProviderRegistry } from '@switchyard/core';
import {
  type DeploymentConfig,
  type Invoke,
  ROUTER_SETTING_NAMES,
  Router,
  type RouterOptions,
} from '@switchyard/router';
import { invokeThroughClient, SwitchyardClient } from '@switchyard/sdk';
import { checkTlsFiles } from '../config/check-tls-files';
import type { DeploymentEntry, ProxyConfig } from '../config/config-schema';
import { withNativeResponsesRequest } from '../responses/native-request';

/** Options for {@link buildRouter}. */
export interface BuildRouterOptions {
  config: ProxyConfig;
  /** Built-in providers plus the ones the config's `providers:` registered. */
  registry: ProviderRegistry;
  /** Deployments added at start-up (the embedded demo's emulators). */
  extraDeployments?: DeploymentEntry[];
  /** Wraps each upstream call (tracing adds `traceparent`); calls go through the client unwrapped without it. */
  wrapInvoke?: (invoke: Invoke) => Invoke;
}

/**
 * The Router behind the proxy: `model_list`, with `router_settings` over
 * `litellm_settings` where both name a setting (LiteLLM's overlap rule), and
 * deployments called through the SDK's client. `litellm_settings.drop_params` and
 * `request_timeout` become per-deployment defaults, which is how LiteLLM
 * applies its module-level flags.
 */
export function buildRouter(options: BuildRouterOptions): {
  router: Router;
  client: SwitchyardClient;
} {
  const { config } = options;
  const ls = config.litellm_settings;
  const rs = config.router_settings;
  const deployments = [...config.model_list, ...(options.extraDeployments ?? [])];
  checkTlsFiles(config, deployments);
  const modelList: DeploymentConfig[] = deployments.map(entry => {
    const params = { ...entry.litellm_params };
    if (params.drop_params === undefined && ls.drop_params !== undefined)
      params.drop_params = ls.drop_params;
    return { ...entry, litellm_params: params } as DeploymentConfig;
  });
  const settings: Omit<RouterOptions, 'invoke'> = { model_list: modelList };
  // router_settings win over the same names in litellm_settings.
  const fromRouter = rs as Record<string, unknown>;
  const fromLitellm = ls as Record<string, unknown>;
  for (const key of ROUTER_SETTING_NAMES) {
    const value = fromRouter[key] ?? fromLitellm[key];
    if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
  }
  const timeout = rs.timeout ?? ls.request_timeout;
  if (timeout !== undefined) settings.timeout = timeout;
  // Requests are validated at the proxy's front door; the SDK need not check them again.
  const client = new SwitchyardClient({
    providers: options.registry,
    validateRequests: false,
    ssl_verify: ls.ssl_verify,
    ssl_certificate: ls.ssl_certificate,
  });
  // @switchyard/router's Router, not the SDK's: the routes need its
  // `{ data, headers, routing }` envelope to write headers and bodies.
  const invoke: Invoke = args => invokeThroughClient(client, withNativeResponsesRequest(args));
  const router = new Router({ ...settings, invoke: options.wrapInvoke?.(invoke) ?? invoke });
  return { router, client };
}
