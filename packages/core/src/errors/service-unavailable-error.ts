import { SwitchyardError } from './switchyard-error';

/** The upstream is not ready or overloaded (HTTP 503). */
export class ServiceUnavailableError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly serviceUnavailableErrorBrand: never;
  static override readonly kind: string = 'ServiceUnavailableError';
  static override readonly defaultStatus: number = 503;
  static override readonly openaiType: string = 'service_unavailable_error';
}
