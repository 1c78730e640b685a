import type { Usage } from '@switchyard/core';
import type { TokenCounter } from './token-counter';

/** Input to {@link chatUsage}. */
export interface ChatUsageOptions {
  /** The prompt as sent (`text_input`). */
  prompt: string;
  /** The generated text. */
  completion: string;
  /** Counts the backend reported (vLLM backend `num_input_tokens` / `num_output_tokens`). */
  reportedPromptTokens: number | undefined;
  reportedCompletionTokens: number | undefined;
  counter: TokenCounter;
}

/**
 * Usage of a generation, never invented: the backend's own counts where it
 * reports them, else the configured tokenizer's, else an estimate marked
 * `estimated: true`.
 */
export function chatUsage(options: ChatUsageOptions): Usage {
  const { counter } = options;
  let estimated = false;
  const tally = (reported: number | undefined, text: string): number => {
    if (reported !== undefined) return reported;
    if (counter.estimated) estimated = true;
    return counter.count(text);
  };
  const prompt = tally(options.reportedPromptTokens, options.prompt);
  const completion = tally(options.reportedCompletionTokens, options.completion);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(estimated ? { estimated: true } : {}),
  };
}

/** Input to {@link embeddingUsage}. */
export interface EmbeddingUsageOptions {
  inputs: readonly string[];
  /** Count the backend reported, when it did. */
  reportedPromptTokens: number | undefined;
  counter: TokenCounter;
}

/**
 * Usage of an embedding call: each input counted on its own (never joined),
 * as LiteLLM does; empty inputs count nothing. Embeddings generate no
 * tokens, so `completion_tokens` is left out.
 */
export function embeddingUsage(options: EmbeddingUsageOptions): Usage {
  if (options.reportedPromptTokens !== undefined) {
    return {
      prompt_tokens: options.reportedPromptTokens,
      total_tokens: options.reportedPromptTokens,
    };
  }
  const prompt = options.inputs.reduce((sum, input) => sum + options.counter.count(input), 0);
  return {
    prompt_tokens: prompt,
    total_tokens: prompt,
    ...(options.counter.estimated ? { estimated: true } : {}),
  };
}

/** Usage of one whole answer to a prepared call (see {@link chatUsage} for the sources). */
export function generationUsage(
  prepared: { prompt: string; counter: ChatUsageOptions['counter'] },
  generation: { text: string; inputTokens: number | undefined; outputTokens: number | undefined },
): Usage {
  return chatUsage({
    prompt: prepared.prompt,
    completion: generation.text,
    reportedPromptTokens: generation.inputTokens,
    reportedCompletionTokens: generation.outputTokens,
    counter: prepared.counter,
  });
}
