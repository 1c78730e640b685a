import { formatIssuePath } from '@switchyard/core';
import { ConfigError } from './config-error';

const PREFIX = 'os.environ/';

/**
 * Resolves LiteLLM's `os.environ/NAME` references anywhere in the config
 * (LiteLLM resolves them in every value, not only in `litellm_params`). A
 * reference to an unset variable stops start-up naming the key and the
 * variable: a literal `os.environ/KEY` sent upstream as a credential, or a
 * master key that silently resolves to nothing, would fail later and worse.
 */
export function resolveEnvRefs(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    if (!value.startsWith(PREFIX)) return value;
    const name = value.slice(PREFIX.length);
    const resolved = env[name];
    if (resolved === undefined) {
      throw new ConfigError(
        `${formatIssuePath(path)}: expected environment variable ${name} to be set (the config says "${value}")`,
      );
    }
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveEnvRefs(item, env, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      out[key] = resolveEnvRefs(item, env, [...path, key]);
    return out;
  }
  return value;
}
