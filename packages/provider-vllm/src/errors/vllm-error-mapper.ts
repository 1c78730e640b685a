import {
  AuthenticationError,
  BadRequestError,
  ContentPolicyViolationError,
  ContextWindowExceededError,
  errorFromStatus,
  extractErrorMessage,
  type FailureMapper,
  type HttpFailure,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  type SwitchyardError,
  type SwitchyardErrorOptions,
  Timeout,
} from '@switchyard/core';
import { classFromText, type TextRuleClass } from './error-text-rules';

const TEXT_RULE_CLASSES: Record<
  TextRuleClass,
  new (
    options: SwitchyardErrorOptions,
  ) => SwitchyardError
> = {
  Timeout,
  RateLimitError,
  ContextWindowExceededError,
  NotFoundError,
  ContentPolicyViolationError,
  BadRequestError,
  InternalServerError,
  AuthenticationError,
};

/**
 * Maps a failed vLLM answer to a Switchyard error: text rules first (spec
 * §5.2, plus vLLM's own context-overflow wordings), then the status (422 is a
 * BadRequestError as in LiteLLM). The message comes from whichever of vLLM's
 * three body shapes was used; `retryAfterMs` from `retry-after(-ms)`.
 */
export const vllmFailureMapper: FailureMapper = (failure: HttpFailure) => {
  const fields: SwitchyardErrorOptions = {
    message: failure.message,
    provider: failure.provider,
    model: failure.model,
    body: failure.body,
    headers: failure.headers,
    retryAfterMs: failure.retryAfterMs,
    param: paramOf(failure.body),
  };
  const byText = classFromText(failure.message, failure.status);
  if (byText !== undefined) {
    return new TEXT_RULE_CLASSES[byText]({ ...fields, upstreamStatus: failure.status });
  }
  if (failure.status === 422) return new BadRequestError({ ...fields, upstreamStatus: 422 });
  return errorFromStatus({ ...fields, status: failure.status });
};

/** Context for {@link vllmInBandError}. */
export interface InBandContext {
  provider: string;
  model: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * Recognises an error event inside a 200 stream (`{"error":{…}}`, current or
 * legacy-wrapped, or `{"error":"…"}`) and maps it like an HTTP failure,
 * taking the status from the event's numeric `code` (500 when absent).
 */
export function vllmInBandError(event: unknown, ctx: InBandContext): Error | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const error = (event as { error?: unknown }).error;
  if (error === undefined || error === null) return undefined;
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
  const rawText = JSON.stringify(event);
  return vllmFailureMapper({
    status,
    headers: ctx.headers,
    body: event,
    rawText,
    message: extractErrorMessage(event, rawText),
    retryAfterMs: undefined,
    url: ctx.url,
    provider: ctx.provider,
    model: ctx.model,
  });
}

function paramOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const inner =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as Record<string, unknown>)
      : record;
  return typeof inner.param === 'string' ? inner.param : null;
}
