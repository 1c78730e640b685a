import { BadRequestError } from './bad-request-error';

/** The upstream refused the content on policy grounds. */
export class ContentPolicyViolationError extends BadRequestError {
  static override readonly kind: string = 'ContentPolicyViolationError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
}
