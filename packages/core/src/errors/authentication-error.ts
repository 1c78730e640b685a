import { SwitchyardError } from './switchyard-error';

/** The credentials were missing or refused (HTTP 401). */
export class AuthenticationError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly authenticationErrorBrand: never;
  static override readonly kind: string = 'AuthenticationError';
  static override readonly defaultStatus: number = 401;
  static override readonly openaiType: string = 'authentication_error';
}
