import { SwitchyardError } from './switchyard-error';

/** The model or route does not exist upstream (HTTP 404). */
export class NotFoundError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly notFoundErrorBrand: never;
  static override readonly kind: string = 'NotFoundError';
  static override readonly defaultStatus: number = 404;
  static override readonly openaiType: string = 'not_found_error';
}
