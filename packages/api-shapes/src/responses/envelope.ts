import type { Usage } from '@switchyard/core';
import type { ResponseObject, ResponsesRequest, ResponsesUsage } from './types';

/** What a response object says about itself besides its output. */
export interface EnvelopeOptions {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The model name to report: the one that served the answer (the upstream's), as OpenAI and LiteLLM report it. */
  model: string;
}

/**
 * A response object in progress, echoing the request's settings as
 * OpenAI does (`instructions`, `tools`, `store`, `previous_response_id`, …).
 */
export function responseEnvelope(
  request: ResponsesRequest,
  options: EnvelopeOptions,
): ResponseObject {
  return {
    id: options.id,
    object: 'response',
    created_at: options.createdAt,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: options.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: {
      effort: request.reasoning?.effort ?? null,
      summary: request.reasoning?.summary ?? null,
    },
    store: request.store ?? true,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? null,
    truncation: 'disabled',
    usage: null,
    user: request.user ?? null,
    metadata: request.metadata ?? {},
  };
}

/** The final status for a chat finish reason: cut short by length or a filter is `incomplete`. */
export function finalStatus(
  finishReason: string | null | undefined,
): Pick<ResponseObject, 'status' | 'incomplete_details'> {
  if (finishReason === 'length')
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}

/**
 * Responses usage from chat usage, or null when the upstream counted
 * nothing. Details are given only when the upstream gave them; an estimate
 * keeps its `estimated` mark.
 */
export function responsesUsage(usage: Usage | null | undefined): ResponsesUsage | null {
  if (!usage) return null;
  const out: ResponsesUsage = {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens ?? null,
    total_tokens: usage.total_tokens,
  };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.input_tokens_details = { cached_tokens: cached };
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') out.output_tokens_details = { reasoning_tokens: reasoning };
  if (usage.estimated === true) out.estimated = true;
  return out;
}
