import { SwitchyardError } from './switchyard-error';

/** The call did not finish in time: connect, headers or body timeout, or the call's own deadline. */
export class Timeout extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly timeoutBrand: never;
  static override readonly kind: string = 'Timeout';
  static override readonly defaultStatus: number = 408;
  static override readonly openaiType: string = 'timeout_error';
  static override defaultRetryable(): boolean {
    return true;
  }
}
