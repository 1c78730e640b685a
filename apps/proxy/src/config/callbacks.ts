import type { ProxyConfig } from './config-schema';

/** The `litellm_settings` keys that name callbacks (LiteLLM reads all three). */
const CALLBACK_KEYS = ['callbacks', 'success_callback', 'failure_callback'] as const;

/**
 * Callbacks the proxy serves: `otel` turns on tracing; `prometheus` is
 * accepted because `/metrics` is always served.
 */
export const SERVED_CALLBACKS: ReadonlySet<string> = new Set(['otel', 'prometheus']);

/** One callback name and the key that named it. */
export interface NamedCallback {
  key: (typeof CALLBACK_KEYS)[number];
  name: string;
}

/** Every callback `litellm_settings` names, as written (a single string counts as a list of one). */
export function configuredCallbacks(
  config: Pick<ProxyConfig, 'litellm_settings'>,
): NamedCallback[] {
  const out: NamedCallback[] = [];
  const ls = config.litellm_settings as Record<string, unknown>;
  for (const key of CALLBACK_KEYS) {
    const value = ls[key];
    const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const name of names) if (typeof name === 'string') out.push({ key, name });
  }
  return out;
}

/** Whether any callback key names `otel` (LiteLLM's OpenTelemetry logger). */
export function otelConfigured(config: Pick<ProxyConfig, 'litellm_settings'>): boolean {
  return configuredCallbacks(config).some(c => c.name === 'otel');
}
