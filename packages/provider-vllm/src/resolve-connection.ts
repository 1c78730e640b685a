import { BadRequestError, type CallContext } from '@switchyard/core';

/** Environment variables read when the call gives no api_base / api_key. */
export const ENV_API_BASE = 'HOSTED_VLLM_API_BASE';
export const ENV_API_KEY = 'HOSTED_VLLM_API_KEY';

/**
 * LiteLLM's placeholder key for servers without auth. Sending it as a
 * credential achieves nothing (a server without `--api-key` ignores the
 * header; one with a key rejects it), so it is treated as "no key".
 */
export const PLACEHOLDER_API_KEY = 'fake-api-key';

/** Where and how to reach the upstream for one call. */
export interface VllmConnection {
  apiBase: string;
  /** Headers every request carries: auth (when a key is set), then the caller's own. */
  headers: Record<string, string>;
}

/** Inputs of {@link resolveConnection}. */
export interface ResolveConnectionOptions {
  ctx: CallContext;
  env: Readonly<Record<string, string | undefined>>;
  /** The provider id, for the error message. */
  providerId: string;
}

/**
 * api_base and api_key from the call, else from `HOSTED_VLLM_API_BASE` /
 * `HOSTED_VLLM_API_KEY`. No api_base anywhere is an error: unlike LiteLLM,
 * a request is never sent to a default host.
 */
export function resolveConnection({
  ctx,
  env,
  providerId,
}: ResolveConnectionOptions): VllmConnection {
  const apiBase = nonEmpty(ctx.apiBase) ?? nonEmpty(env[ENV_API_BASE]);
  if (apiBase === undefined) {
    throw new BadRequestError({
      message:
        `${providerId}/ needs the URL of a vLLM server: pass api_base (e.g. http://localhost:8000) ` +
        `or set ${ENV_API_BASE}.` +
        (providerId === 'vllm'
          ? ' (LiteLLM ran vllm/ models in-process; Node cannot, so vllm/ needs a server like hosted_vllm/.)'
          : ''),
      param: 'api_base',
      provider: providerId,
      model: ctx.model,
    });
  }
  const apiKey = nonEmpty(ctx.apiKey) ?? nonEmpty(env[ENV_API_KEY]);
  const headers: Record<string, string> = {};
  if (apiKey !== undefined && apiKey !== PLACEHOLDER_API_KEY) {
    headers.authorization = `Bearer ${apiKey}`;
  }
  // Caller headers win, including a hand-made Authorization.
  for (const [name, value] of Object.entries(ctx.headers ?? {}))
    headers[name.toLowerCase()] = value;
  return { apiBase, headers };
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}
