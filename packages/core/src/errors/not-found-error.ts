import { SwitchyardError } from './switchyard-error';

/** The model or route does not exist upstream (HTTP 404). */
export class NotFoundError extends SwitchyardError {
  static override readonly kind: string = 'NotFoundError';
  static override readonly defaultStatus: number = 404;
  static override readonly openaiType: string = 'not_found_error';
}
