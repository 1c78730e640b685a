/**
 * Context-length checks, in the two places vLLM makes them.
 *
 * The OpenAI serving layer checks first (`OpenAIServing._validate_input`),
 * on the tokens of the rendered prompt: one message when the prompt alone
 * fills the context, another when prompt plus `max_tokens` overflows it.
 * Its wording changed in 0.10.1 (vLLM PR #22803); the legacy error shape
 * and versions before 0.10.1 get the earlier sentences.
 *
 * The engine's input processor checks again after multimodal placeholders
 * are expanded ("The decoder prompt (length N) is longer than the maximum
 * model length of M."), so its text reaches a client only when the serving
 * check passed a prompt that expansion made too long — in the emulator, a
 * prompt whose media parts push it over.
 */
import type { VllmContext } from './vllm-context';
import { badRequest } from './vllm-errors';

/** Tokens an image, audio or video part expands to in the engine (the emulated model's fixed size). */
export const MEDIA_PLACEHOLDER_TOKENS = 64;

/** What the serving layer knows about a request. */
export interface ServingLengthCheck {
  /** Tokens of the rendered prompt, each media part counted as its one placeholder token. */
  promptTokens: number;
  /** `max_completion_tokens ?? max_tokens`, when the request set one. */
  maxTokens: number | undefined;
}

/** The serving layer's check; throws vLLM's 400. */
export function checkServingContext(ctx: VllmContext, request: ServingLengthCheck): void {
  const { promptTokens: p, maxTokens: m } = request;
  const limit = ctx.maxModelLen;
  if (usesEarlyWording(ctx)) {
    // ≤0.10.0: the prompt-only sentence applies only when no max_tokens was sent.
    if (m === undefined && p >= limit) {
      throw badRequest(
        `This model's maximum context length is ${limit} tokens. However, you requested ${p} tokens in the messages, Please reduce the length of the messages.`,
      );
    }
    if (m !== undefined && p + m > limit) {
      throw badRequest(
        `This model's maximum context length is ${limit} tokens. However, you requested ${p + m} tokens (${p} in the messages, ${m} in the completion). Please reduce the length of the messages or completion.`,
      );
    }
    return;
  }
  if (p >= limit) {
    throw badRequest(
      `This model's maximum context length is ${limit} tokens. However, your request has ${p} input tokens. Please reduce the length of the input messages.`,
    );
  }
  if (m !== undefined && p + m > limit) {
    throw badRequest(
      `'max_tokens' or 'max_completion_tokens' is too large: ${m}. This model's maximum context length is ${limit} tokens and your request has ${p} input tokens (${m} > ${limit} - ${p}).`,
    );
  }
}

/** The engine's check of the expanded prompt; throws its ValueError as a 400. */
export function checkEngineContext(
  ctx: VllmContext,
  prompt: { engineTokens: number; multimodal: boolean },
): void {
  const limit = ctx.maxModelLen;
  if (prompt.engineTokens <= limit) return;
  const suggestion = prompt.multimodal
    ? 'Make sure that `max_model_len` is no smaller than the number of text tokens plus multimodal tokens. For image inputs, the number of image tokens depends on the number of images, and possibly their aspect ratios as well.'
    : 'Make sure that `max_model_len` is no smaller than the number of text tokens.';
  throw badRequest(
    `The decoder prompt (length ${prompt.engineTokens}) is longer than the maximum model length of ${limit}. ${suggestion}`,
  );
}

/** The token count the engine sees: each media placeholder expanded. */
export function engineTokenCount(promptTokens: number, mediaParts: number): number {
  return promptTokens + mediaParts * (MEDIA_PLACEHOLDER_TOKENS - 1);
}

function usesEarlyWording(ctx: VllmContext): boolean {
  if (ctx.errorShape === 'legacy') return true;
  const [major = 0, minor = 0, patch = 0] = ctx.version.split(/[.+-]/).map(n => Number(n) || 0);
  return major === 0 && (minor < 10 || (minor === 10 && patch < 1));
}
