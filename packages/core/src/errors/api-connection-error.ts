import { SwitchyardError } from './switchyard-error';

/** No usable HTTP response: connection refused or reset, DNS failure, or a stream cut short. */
export class APIConnectionError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly apiConnectionErrorBrand: never;
  static override readonly kind: string = 'APIConnectionError';
  static override readonly defaultStatus: number = 500;
  static override readonly openaiType: string = 'api_connection_error';
  static override defaultRetryable(): boolean {
    return true;
  }
}
