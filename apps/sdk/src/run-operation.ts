import {
  type CallContext,
  checkProviderResult,
  type Provider,
  type ProviderOperation,
  type ProviderResponse,
  type ProviderStream,
} from '@switchyard/core';

/**
 * Calls one provider operation and checks that its answer has the shape the
 * contract asks for, so a custom provider's mistake is reported as such
 * (what was expected, what came) instead of failing later inside the SDK or
 * the proxy. Every provider call of the SDK goes through here. The call
 * starts in this tick: nothing is awaited before it.
 */
export function runOperation(
  provider: Provider,
  operation: ProviderOperation,
  request: unknown,
  ctx: CallContext,
): Promise<ProviderResponse<unknown> | ProviderStream<unknown>> {
  const fn = provider[operation] as (r: unknown, c: CallContext) => Promise<unknown>;
  return fn
    .call(provider, request, ctx)
    .then(value => checkProviderResult({ provider: provider.id, operation, value }));
}
