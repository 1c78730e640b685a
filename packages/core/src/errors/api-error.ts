import { SwitchyardError } from './switchyard-error';

/** An upstream error with a status that has no more specific class. */
export class APIError extends SwitchyardError {
  static override readonly kind: string = 'APIError';
  static override readonly defaultStatus: number = 500;
  static override readonly openaiType: string = 'api_error';
}
