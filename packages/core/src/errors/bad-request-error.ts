import { SwitchyardError } from './switchyard-error';

/** The request was malformed or refused by the upstream (HTTP 400). */
export class BadRequestError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly badRequestErrorBrand: never;
  static override readonly kind: string = 'BadRequestError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
}
