import { SwitchyardError } from './switchyard-error';

/** The upstream understood the request but could not process it (HTTP 422). */
export class UnprocessableEntityError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly unprocessableEntityErrorBrand: never;
  static override readonly kind: string = 'UnprocessableEntityError';
  static override readonly defaultStatus: number = 422;
  static override readonly openaiType: string = 'invalid_request_error';
}
