import { configError } from '../options/checks';

const PREFIX = 'os.environ/';

/**
 * Resolves LiteLLM's `os.environ/VAR` references in a deployment's
 * `litellm_params` (any string value, nested objects and lists included). A
 * reference to an unset variable is an error naming the field and the
 * variable: sending a request with the literal text `os.environ/KEY` as a
 * credential would only fail later and less clearly.
 */
export function resolveEnvRefs(
  value: unknown,
  field: string,
  env: Readonly<Record<string, string | undefined>>,
): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(PREFIX)) return value;
    const name = value.slice(PREFIX.length);
    const resolved = env[name];
    if (resolved === undefined) {
      throw configError(field, `environment variable ${name} to be set`, value);
    }
    return resolved;
  }
  if (Array.isArray(value))
    return value.map((item, i) => resolveEnvRefs(item, `${field}[${i}]`, env));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = resolveEnvRefs(item, `${field}.${key}`, env);
    return out;
  }
  return value;
}
