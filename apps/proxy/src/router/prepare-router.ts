import type { KvAwareStrategy, Router } from '@switchyard/router';
import { ConfigError } from '../config/config-error';

/**
 * What the router must have before the proxy serves: with `kv-aware`
 * routing and deployments naming `kv_events`, the event subscribers
 * started — the optional package `@switchyard/kv-events` (and its ZeroMQ
 * binding) is loaded only then, and a proxy without it stops with the
 * command that installs it rather than routing blind; with
 * `lora_adapters`, one read of every vLLM replica's adapters, so an
 * adapter is not answered "unknown model" in the first seconds.
 */
export async function prepareRouter(router: Router): Promise<void> {
  if (router.strategy.name === 'kv-aware') {
    const problem = await (router.strategy as KvAwareStrategy).ready();
    if (problem !== undefined)
      throw new ConfigError(`router_settings.routing_strategy: ${problem}`);
  }
  await router.refreshLoraAdapters();
}
