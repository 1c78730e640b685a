import { BadGatewayError } from '../errors/bad-gateway-error';
import type { ChatCompletion } from './chat-completion';

/**
 * The first problem that keeps `value` from being usable as a chat
 * completion, as `path: what`, or undefined when it is fine. Deliberately
 * shallow — the fields callers read, nothing copied — because it runs on
 * every response (a full zod parse would copy the whole body).
 */
export function chatCompletionShapeIssue(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'expected an object';
  const choices = (value as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return 'choices: expected an array';
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i] as { message?: unknown } | null;
    if (typeof choice !== 'object' || choice === null) return `choices[${i}]: expected an object`;
    if (typeof choice.message !== 'object' || choice.message === null) {
      return `choices[${i}].message: expected an object`;
    }
  }
  return undefined;
}

/** Returns `value` as a chat completion, or throws BadGatewayError naming what is wrong. */
export function expectChatCompletion(
  value: unknown,
  context: { provider?: string; model?: string; url?: string } = {},
): ChatCompletion {
  const issue = chatCompletionShapeIssue(value);
  if (issue === undefined) return value as ChatCompletion;
  throw new BadGatewayError({
    message: `${context.url ?? 'The upstream'} answered with an unexpected shape: ${issue}`,
    provider: context.provider,
    model: context.model,
    body: value,
  });
}
