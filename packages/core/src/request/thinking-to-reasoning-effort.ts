import { BadRequestError } from '../errors/bad-request-error';

/** A reasoning effort vLLM understands. */
export type ReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

/**
 * Budget thresholds in tokens. LiteLLM has used two sets over time
 * (10000/5000/2000, then 4096/2048/1024); these satisfy the tests of both:
 * 1024 and below is `minimal`, 4096 and above is `high`.
 */
const HIGH_FROM = 4096;
const MEDIUM_FROM = 2048;
const LOW_ABOVE = 1024;

/**
 * Maps Anthropic-style `thinking: {type: "enabled", budget_tokens}` to a
 * `reasoning_effort` (LiteLLM PR #19787). Returns undefined when `thinking`
 * is absent or not enabled. An explicit `reasoning_effort` always wins; the
 * caller checks that first.
 */
export function thinkingToReasoningEffort(thinking: unknown): ReasoningEffort | undefined {
  if (thinking === undefined || thinking === null) return undefined;
  if (typeof thinking !== 'object' || Array.isArray(thinking)) {
    throw new BadRequestError({
      message: 'thinking must be an object such as {"type":"enabled","budget_tokens":2048}',
      param: 'thinking',
    });
  }
  const { type, budget_tokens: budget } = thinking as { type?: unknown; budget_tokens?: unknown };
  if (type !== 'enabled') return undefined;
  if (
    budget !== undefined &&
    (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0)
  ) {
    throw new BadRequestError({
      message: `thinking.budget_tokens must be a non-negative number; got ${JSON.stringify(budget)}`,
      param: 'thinking.budget_tokens',
    });
  }
  const tokens = budget ?? 0;
  if (tokens >= HIGH_FROM) return 'high';
  if (tokens >= MEDIUM_FROM) return 'medium';
  if (tokens > LOW_ABOVE) return 'low';
  return 'minimal';
}
