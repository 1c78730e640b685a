import { SwitchyardError } from './switchyard-error';

/** The upstream failed (HTTP 500). */
export class InternalServerError extends SwitchyardError {
  static override readonly kind: string = 'InternalServerError';
  static override readonly defaultStatus: number = 500;
  static override readonly openaiType: string = 'internal_server_error';
}
