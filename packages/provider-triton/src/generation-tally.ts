import type { Usage } from '@switchyard/core';
import type { TritonGeneration } from './generate-response';
import type { TokenCounter } from './token-counter';
import { chatUsage } from './usage';

/** What one stream event adds: its text and, on the last one, why generation stopped. */
export interface GenerationStep {
  text: string;
  finishReason: string | null;
  /** Whether the event is worth a chunk (text or a finish reason). */
  emit: boolean;
}

/**
 * Keeps the running totals of a stream: the text so far (for counting when
 * the backend reports no counts), the backend's token counts (vLLM backend
 * `num_output_tokens` is per event, so they are added up) and the finish
 * reason once one is given.
 */
export class GenerationTally {
  #text = '';
  #inputTokens: number | undefined;
  #outputTokens: number | undefined;
  #finishReason: string | null = null;

  /** Takes one event in. */
  add(event: TritonGeneration): GenerationStep {
    this.#text += event.text;
    if (event.inputTokens !== undefined) this.#inputTokens = event.inputTokens;
    if (event.outputTokens !== undefined)
      this.#outputTokens = (this.#outputTokens ?? 0) + event.outputTokens;
    if (event.finishReason !== null) this.#finishReason = event.finishReason;
    return {
      text: event.text,
      finishReason: event.finishReason,
      emit: event.text.length > 0 || event.finishReason !== null,
    };
  }

  /** The finish reason the backend gave, or null when it gave none. */
  get finishReason(): string | null {
    return this.#finishReason;
  }

  /** Usage of the whole stream (see {@link chatUsage}). */
  usage(prompt: string, counter: TokenCounter): Usage {
    return chatUsage({
      prompt,
      completion: this.#text,
      reportedPromptTokens: this.#inputTokens,
      reportedCompletionTokens: this.#outputTokens,
      counter,
    });
  }
}
