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
  if (d.model.startsWith('triton/')) {
    const url = parsedApiBase(d);
    if (url === undefined) return undefined;
    if (url.port === TRITON_HTTP_PORT) url.port = TRITON_METRICS_PORT;
    return `${url.origin}/metrics`;
  }
  const base = engineBaseOf(d);
  return base === undefined ? undefined : `${base}/metrics`;
}

/**
 * The server root of an OpenAI-compatible engine (vLLM): `api_base`
 * without its trailing `/v1`, where `/metrics` and `/tokenize` live.
 */
export function engineBaseOf(d: Deployment): string | undefined {
  const url = parsedApiBase(d);
  if (url === undefined) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

/** Deployment id → metrics URL, for every deployment that has one. */
export function metricsTargets(deployments: readonly Deployment[]): Map<string, string> {
  const targets = new Map<string, string>();
  for (const d of deployments) {
    const url = metricsUrlOf(d);
    if (url !== undefined) targets.set(d.id, url);
  }
  return targets;
}

function parsedApiBase(d: Deployment): URL | undefined {
  if (d.apiBase === undefined) return undefined;
  try {
    return new URL(d.apiBase);
  } catch {
    return undefined;
  }
}
