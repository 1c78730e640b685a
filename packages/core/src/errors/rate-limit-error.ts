import { SwitchyardError } from './switchyard-error';

/** Too many requests (HTTP 429); `retryAfterMs` says how long to wait when the upstream said. */
export class RateLimitError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly rateLimitErrorBrand: never;
  static override readonly kind: string = 'RateLimitError';
  static override readonly defaultStatus: number = 429;
  static override readonly openaiType: string = 'rate_limit_error';
}
