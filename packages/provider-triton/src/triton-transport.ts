import { type CallContext, readSseJson } from '@switchyard/core';
import { decodeInferResponse } from './binary-tensor';
import { readGeneration, type TritonGeneration } from './generate-response';
import { readInferGeneration } from './infer-response';
import type { PreparedGeneration } from './prepare-generation';
import { tritonFailureMapper, tritonInBandError } from './triton-errors';

/** One answer and the upstream's headers. */
export interface GenerationResult {
  generation: TritonGeneration;
  headers: Record<string, string>;
}

/** Sends a prepared `/generate` or `/infer` call and reads its one answer. */
export async function generateOnce(
  prepared: PreparedGeneration,
  ctx: CallContext,
): Promise<GenerationResult> {
  const common = {
    url: prepared.url,
    method: 'POST' as const,
    headers: prepared.headers,
    json: prepared.body,
    provider: 'triton',
    model: ctx.model,
    mapFailure: tritonFailureMapper,
  };
  if (prepared.endpoint === 'infer') {
    const { data: bytes, headers } = await ctx.http.bytes({
      ...common,
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
    });
    const body = decodeInferResponse({ bytes, headers, model: ctx.model });
    return {
      generation: readInferGeneration({
        body,
        model: ctx.model,
        outputName: prepared.options.outputName,
      }),
      headers,
    };
  }
  const response = await ctx.http.json({
    ...common,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
  });
  return {
    generation: readGeneration({ body: response.data, model: ctx.model, textOptional: false }),
    headers: response.headers,
  };
}

/** A `/generate_stream` answer: its events read, and the upstream's headers. */
export interface GenerationStream {
  events: AsyncIterable<TritonGeneration>;
  headers: Record<string, string>;
}

/**
 * Opens `/generate_stream`. Resolves once Triton has answered with a status
 * (errors before the first event reject here); each event is then read, an
 * in-band `{"error":…}` event is thrown, and the stream ends at EOF — Triton
 * never sends `[DONE]`.
 */
export async function openGenerationStream(
  prepared: PreparedGeneration,
  ctx: CallContext,
): Promise<GenerationStream> {
  const response = await ctx.http.stream({
    url: prepared.url,
    method: 'POST',
    headers: { accept: 'text/event-stream', ...prepared.headers },
    json: prepared.body,
    provider: 'triton',
    model: ctx.model,
    mapFailure: tritonFailureMapper,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
  });
  const model = ctx.model;
  async function* events(): AsyncGenerator<TritonGeneration> {
    const parsed = readSseJson(response.body, {
      provider: 'triton',
      model,
      inBandError: event => tritonInBandError(event, { model }),
    });
    for await (const event of parsed)
      yield readGeneration({ body: event, model, textOptional: true });
  }
  return { events: events(), headers: response.headers };
}

/**
 * The answer of a prepared streaming call as generation events: the events
 * of `/generate_stream`, or the one answer of a route that answers once
 * (`/infer`) as a single event.
 */
export async function openGenerationEvents(
  prepared: PreparedGeneration,
  ctx: CallContext,
): Promise<{
  events: AsyncIterable<TritonGeneration> | Iterable<TritonGeneration>;
  headers: Record<string, string>;
}> {
  if (prepared.endpoint === 'generate_stream') return openGenerationStream(prepared, ctx);
  const once = await generateOnce(prepared, ctx);
  return { events: [once.generation], headers: once.headers };
}
