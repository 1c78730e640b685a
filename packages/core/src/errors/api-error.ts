import { SwitchyardError } from './switchyard-error';

/** An upstream error with a status that has no more specific class. */
export class APIError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly apiErrorBrand: never;
  static override readonly kind: string = 'APIError';
  static override readonly defaultStatus: number = 500;
  static override readonly openaiType: string = 'api_error';
}
