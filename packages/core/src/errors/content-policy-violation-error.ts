import { BadRequestError } from './bad-request-error';

/** The upstream refused the content on policy grounds. */
export class ContentPolicyViolationError extends BadRequestError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly contentPolicyViolationErrorBrand: never;
  static override readonly kind: string = 'ContentPolicyViolationError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
}
