import { SwitchyardError } from './switchyard-error';

/** The upstream is not ready or overloaded (HTTP 503). */
export class ServiceUnavailableError extends SwitchyardError {
  static override readonly kind: string = 'ServiceUnavailableError';
  static override readonly defaultStatus: number = 503;
  static override readonly openaiType: string = 'service_unavailable_error';
}
