import { SwitchyardError } from './switchyard-error';

/** The upstream understood the request but could not process it (HTTP 422). */
export class UnprocessableEntityError extends SwitchyardError {
  static override readonly kind: string = 'UnprocessableEntityError';
  static override readonly defaultStatus: number = 422;
  static override readonly openaiType: string = 'invalid_request_error';
}
