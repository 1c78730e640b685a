import { SwitchyardError } from './switchyard-error';

/** The request was malformed or refused by the upstream (HTTP 400). */
export class BadRequestError extends SwitchyardError {
  static override readonly kind: string = 'BadRequestError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
}
