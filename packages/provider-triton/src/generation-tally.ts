import type { Usage } from '@switchyard/core';
import { decideFinishReason, type FinishDecision } from './finish-reason';
import type { TritonGeneration } from './generate-response';
import type { TokenCounter } from './token-counter';
import { chatUsage } from './usage';

/** What one stream event adds: its text and, on the last one, why generation stopped. */
export interface GenerationStep {
  text: string;
  /** The finish reason this event reported, or null. */
  finish: FinishDecision | null;
  /** Whether the event is worth a chunk (text or a finish reason). */
  emit: boolean;
}

/**
 * Keeps the running totals of a stream: the text so far (for counting when
 * the backend reports no counts), the backend's token counts (vLLM backend
 * `num_output_tokens` and TRT-LLM's per-token outputs are per event, so they
 * are added up) and whether a finish reason was given.
 */
export class GenerationTally {
  #text = '';
  #inputTokens: number | undefined;
  #outputTokens: number | undefined;
  #finished = false;

  /** Takes one event in. */
  add(event: TritonGeneration): GenerationStep {
    this.#text += event.text;
    if (event.inputTokens !== undefined) this.#inputTokens = event.inputTokens;
    if (event.outputTokens !== undefined)
      this.#outputTokens = (this.#outputTokens ?? 0) + event.outputTokens;
    const finish =
      event.finishReason === null ? null : { reason: event.finishReason, assumed: false };
    if (finish) this.#finished = true;
    return { text: event.text, finish, emit: event.text.length > 0 || finish !== null };
  }

  /**
   * At the end of a stream in which no event gave a finish reason: the
   * reason told by the reported token count, else an assumed `stop` (see
   * {@link decideFinishReason}). Undefined when an event already gave one.
   */
  closingFinish(maxTokens: number): FinishDecision | undefined {
    if (this.#finished) return undefined;
    return decideFinishReason({ reported: null, outputTokens: this.#outputTokens, maxTokens });
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
