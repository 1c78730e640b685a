import { ContextWindowExceededError, RateLimitError } from '@switchyard/core';

/**
 * Every deployment of the group is cooling down. LiteLLM's wording (its
 * proxy answers 429), with `retry-after` = time until the first cooldown ends.
 */
export function allCooledDownError(args: {
  model: string;
  retryAfterMs: number;
  preCallChecks: boolean;
  cooldownIds: readonly string[];
}): RateLimitError {
  const seconds = Math.max(1, Math.ceil(args.retryAfterMs / 1000));
  return new RateLimitError({
    message: `No deployments available for selected model, Try again in ${seconds} seconds. Passed model=${args.model}. pre-call-checks=${args.preCallChecks}, cooldown_list=${JSON.stringify(args.cooldownIds)}`,
    model: args.model,
    retryAfterMs: args.retryAfterMs,
    headers: { 'retry-after': String(seconds) },
  });
}

/** Every healthy deployment is at its rpm / tpm limit for this minute. */
export function allAtLimitError(args: { model: string; retryAfterMs: number }): RateLimitError {
  const seconds = Math.max(1, Math.ceil(args.retryAfterMs / 1000));
  return new RateLimitError({
    message: `No deployments available for selected model, Try again in ${seconds} seconds. Passed model=${args.model}. Every deployment is at its rpm/tpm limit for this minute.`,
    model: args.model,
    retryAfterMs: args.retryAfterMs,
    headers: { 'retry-after': String(seconds) },
  });
}

/** The prompt is larger than every deployment's `max_input_tokens` (pre-call check). */
export function promptTooLargeError(args: {
  model: string;
  estimatedTokens: number;
  largest: number;
}): ContextWindowExceededError {
  return new ContextWindowExceededError({
    message: `The prompt (about ${args.estimatedTokens} tokens) exceeds max_input_tokens of every deployment of ${args.model} (largest: ${args.largest}). Passed model=${args.model}. pre-call-checks=true`,
    model: args.model,
  });
}
