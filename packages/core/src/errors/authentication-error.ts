import { SwitchyardError } from './switchyard-error';

/** The credentials were missing or refused (HTTP 401). */
export class AuthenticationError extends SwitchyardError {
  static override readonly kind: string = 'AuthenticationError';
  static override readonly defaultStatus: number = 401;
  static override readonly openaiType: string = 'authentication_error';
}
