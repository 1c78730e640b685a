import { type CallContext, type HttpRequest, readSseJson } from '@switchyard/core';
import { vllmFailureMapper, vllmInBandError } from '../errors/vllm-error-mapper';
import { resolveConnection } from '../resolve-connection';
import { endpointUrl, type VllmEndpoint } from '../vllm-urls';

/** What every operation knows about the provider instance it runs in. */
export interface ProviderSetup {
  /** `hosted_vllm` or `vllm`: goes into errors and messages. */
  id: string;
  /** Where `HOSTED_VLLM_API_BASE` / `HOSTED_VLLM_API_KEY` are read from. */
  env: Readonly<Record<string, string | undefined>>;
}

/** One upstream call. */
export interface UpstreamCall {
  ctx: CallContext;
  setup: ProviderSetup;
  endpoint: VllmEndpoint;
}

/**
 * The parts of an upstream request every operation shares: URL, headers
 * (JSON accept, auth, the caller's own), deadline, signal and the vLLM error
 * mapping. The operation adds its body (and response schema).
 */
export function upstreamRequest(call: UpstreamCall): HttpRequest & { url: string } {
  const { ctx, setup } = call;
  const conn = resolveConnection({ ctx, env: setup.env, providerId: setup.id });
  // The connection's headers are built per call, so they can be completed in place.
  const headers = conn.headers;
  if (headers.accept === undefined) headers.accept = 'application/json';
  const req: HttpRequest & { url: string } = {
    url: endpointUrl(conn.apiBase, call.endpoint),
    method: 'POST',
    headers,
    provider: setup.id,
    model: ctx.model,
    mapFailure: vllmFailureMapper,
  };
  if (ctx.signal !== undefined) req.signal = ctx.signal;
  if (ctx.timeoutMs !== undefined) req.timeoutMs = ctx.timeoutMs;
  return req;
}

/** A started SSE stream: its parsed events and the upstream's headers. */
export interface SseCall {
  events: AsyncIterableIterator<unknown>;
  headers: Record<string, string>;
}

/**
 * POSTs a streaming request. Resolves once the upstream answered; events
 * then come parsed, an in-band error event is thrown as its mapped error,
 * and a stream that ends without `[DONE]` throws APIConnectionError
 * (unless `requireDone` is false: the Anthropic and Responses streams end
 * without it).
 */
export async function postSse(
  call: UpstreamCall & { json: unknown; requireDone?: boolean },
): Promise<SseCall> {
  const { ctx, setup } = call;
  const conn = resolveConnection({ ctx, env: setup.env, providerId: setup.id });
  const url = endpointUrl(conn.apiBase, call.endpoint);
  const res = await ctx.http.stream({
    url,
    method: 'POST',
    headers: { accept: 'text/event-stream', ...conn.headers },
    json: call.json,
    ...common(call),
  });
  const events = readSseJson(res.body, {
    requireDone: call.requireDone ?? true,
    // Chunks are passed on unchanged or copied, never changed in place, so
    // a relay may forward the text vLLM sent (see sseJsonAsReceived).
    keepSourceText: true,
    provider: setup.id,
    model: ctx.model,
    inBandError: event =>
      vllmInBandError(event, { provider: setup.id, model: ctx.model, url, headers: res.headers }),
  });
  return { events, headers: res.headers };
}

function common({ ctx, setup }: UpstreamCall) {
  return {
    provider: setup.id,
    model: ctx.model,
    mapFailure: vllmFailureMapper,
    ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
  };
}
