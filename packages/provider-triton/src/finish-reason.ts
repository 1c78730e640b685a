/**
 * Why a Triton generation stopped. OpenAI clients expect a value, so one is
 * always given, but never made up without saying so:
 *
 * 1. the backend's own `finish_reason` (the vLLM backend sends it when asked
 *    with `return_finish_reason`);
 * 2. else the generated token count the backend reported against the
 *    `max_tokens` sent: the limit reached is `length`, anything shorter
 *    stopped on its own (end token or stop word), `stop` (TRT-LLM);
 * 3. else LiteLLM's `stop`, marked `finish_reason_assumed: true` on the
 *    choice — the same kind of mark as `usage.estimated`.
 */

/** A finish reason and whether it was assumed rather than told. */
export interface FinishDecision {
  reason: string;
  assumed: boolean;
}

/** Input to {@link decideFinishReason}. */
export interface DecideFinishReasonOptions {
  /** What the backend said, or null. */
  reported: string | null;
  /** Tokens the backend reported generating (never a local count), when it did. */
  outputTokens: number | undefined;
  /** The `max_tokens` sent. */
  maxTokens: number;
}

/** Decides the finish reason of a whole answer (see the module comment). */
export function decideFinishReason(options: DecideFinishReasonOptions): FinishDecision {
  if (options.reported !== null) return { reason: options.reported, assumed: false };
  if (options.outputTokens !== undefined) {
    return {
      reason: options.outputTokens >= options.maxTokens ? 'length' : 'stop',
      assumed: false,
    };
  }
  return { reason: 'stop', assumed: true };
}

/** The fields a choice carries for a decision: the mark only when assumed. */
export function finishFields(decision: FinishDecision): {
  finish_reason: string;
  finish_reason_assumed?: true;
} {
  return decision.assumed
    ? { finish_reason: decision.reason, finish_reason_assumed: true }
    : { finish_reason: decision.reason };
}

/** Why one whole answer to a prepared call stopped (see {@link decideFinishReason}). */
export function generationFinish(
  prepared: { maxTokens: number },
  generation: { finishReason: string | null; outputTokens: number | undefined },
): FinishDecision {
  return decideFinishReason({
    reported: generation.finishReason,
    outputTokens: generation.outputTokens,
    maxTokens: prepared.maxTokens,
  });
}
