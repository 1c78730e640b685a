import type { Deployment } from '../deployments/deployment';
import { configError } from '../options/checks';

/** Triton's default HTTP port and the port its metrics are served on. */
const TRITON_HTTP_PORT = '8000';
const TRITON_METRICS_PORT = '8002';

/**
 * Where a deployment's engine publishes its Prometheus metrics:
 * `model_info.metrics_url` when given; otherwise derived from `api_base` —
 * for vLLM (and other OpenAI-compatible servers) the base without its
 * trailing `/v1`, plus `/metrics`; for `triton/` models the server's origin
 * with port 8000 moved to 8002 (Triton serves metrics on their own port),
 * plus `/metrics`. Undefined when there is no `api_base` to derive from.
 */
export function metricsUrlOf(d: Deployment): string | undefined {
  const explicit = d.modelInfo.metrics_url;
  if (explicit !== undefined) {
    if (typeof explicit !== 'string' || !/^https?:\/\//.test(explicit)) {
      throw configError(`model_info.metrics_url of deployment ${d.id}`, 'an http(s) URL', explicit);
    }
    return explicit;
  }
  if (d.apiBase === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(d.apiBase);
  } catch {
    return undefined;
  }
  if (d.model.startsWith('triton/')) {
    if (url.port === TRITON_HTTP_PORT) url.port = TRITON_METRICS_PORT;
    return `${url.origin}/metrics`;
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return `${url.origin}${path}/metrics`;
}
