import { BadRequestError } from './bad-request-error';

/** The prompt (plus the requested completion) does not fit the model's context window. Never retried on the same model; see `context_window_fallbacks`. */
export class ContextWindowExceededError extends BadRequestError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly contextWindowExceededErrorBrand: never;
  static override readonly kind: string = 'ContextWindowExceededError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
  static override defaultRetryable(): boolean {
    return false;
  }
}
