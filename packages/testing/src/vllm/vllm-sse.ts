import { SSE_DONE, sseJson } from '@switchyard/core';
import { SseStream } from '../shared/sse-stream';
import type { RouteCall, VllmContext } from './vllm-context';
import { streamErrorBody, VllmHttpError } from './vllm-errors';

/**
 * Opens a vLLM-style SSE answer for chat and completions alike: `[DONE]` at
 * the end, and an injected in-band failure written as vLLM writes one (an
 * error event in the configured shape, then `[DONE]`).
 */
export function openVllmStream(ctx: VllmContext, call: RouteCall): SseStream {
  const stream = new SseStream({
    res: call.res,
    fault: call.fault,
    inBandError: () =>
      sseJson(
        streamErrorBody(
          new VllmHttpError({
            status: 500,
            type: 'InternalServerError',
            message: 'Internal server error',
          }),
          ctx.errorShape,
        ),
      ) + SSE_DONE,
    terminator: SSE_DONE,
  });
  stream.open();
  return stream;
}

/** Counts of a finished stream. */
export interface StreamUsage {
  promptTokens: number;
  completionTokens: number;
}

/** The closing `"choices":[]` chunk with the request's usage (`stream_options.include_usage`). */
export function usageChunk(head: Record<string, unknown>, counts: StreamUsage): string {
  const usage = {
    prompt_tokens: counts.promptTokens,
    total_tokens: counts.promptTokens + counts.completionTokens,
    completion_tokens: counts.completionTokens,
  };
  return sseJson({ ...head, choices: [], usage });
}
