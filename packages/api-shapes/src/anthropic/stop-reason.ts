import type { AnthropicStopReason } from './types';

/** What a chat choice says about why it stopped. */
export interface ChatStop {
  finishReason: string | null | undefined;
  /** vLLM's `stop_reason`: the stop string (or token id) that ended generation. */
  matched?: unknown;
  /** The request's `stop_sequences`. */
  stopSequences?: readonly string[];
  hasToolCalls: boolean;
}

/**
 * Anthropic's `stop_reason` and `stop_sequence` for a chat finish reason.
 * `stop` is `stop_sequence` when the upstream named one of the request's
 * stop sequences (vLLM does, in `stop_reason`), else `end_turn`; a named
 * tool choice ends with `stop` while calling a tool, which is `tool_use`.
 * A reason with no Anthropic counterpart (vLLM's `abort`) is null, never
 * guessed.
 */
export function anthropicStopReason(stop: ChatStop): {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
} {
  switch (stop.finishReason) {
    case 'tool_calls':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    case 'stop': {
      if (stop.hasToolCalls) return { stop_reason: 'tool_use', stop_sequence: null };
      const matched = stop.matched;
      if (typeof matched === 'string' && stop.stopSequences?.includes(matched))
        return { stop_reason: 'stop_sequence', stop_sequence: matched };
      return { stop_reason: 'end_turn', stop_sequence: null };
    }
    default:
      return { stop_reason: null, stop_sequence: null };
  }
}

/**
 * A chat choice's finish reason as far as the upstream told it: null when
 * the provider marked it `finish_reason_assumed` (Triton models that say
 * nothing about why they stopped get LiteLLM's `stop` with that mark), so
 * an assumed `stop` never becomes an `end_turn` nobody reported.
 */
export function reportedFinishReason(
  choice: { finish_reason?: string | null; finish_reason_assumed?: boolean } | undefined,
): string | null | undefined {
  return choice?.finish_reason_assumed === true ? null : choice?.finish_reason;
}
