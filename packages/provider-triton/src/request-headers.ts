import type { CallContext } from '@switchyard/core';

/**
 * Headers for a Triton call. Triton itself has no authentication, and
 * LiteLLM sends none; a key is only sent (as `Authorization: Bearer`) when
 * one is given, for a Triton behind an authenticating gateway. `ctx.headers`
 * are merged last, so they can replace it.
 */
export function requestHeaders(
  ctx: Pick<CallContext, 'apiKey' | 'headers'>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (ctx.apiKey) headers.authorization = `Bearer ${ctx.apiKey}`;
  if (ctx.headers) {
    for (const [name, value] of Object.entries(ctx.headers)) headers[name.toLowerCase()] = value;
  }
  return headers;
}
