import { SwitchyardError } from './switchyard-error';

/** The call did not finish in time: connect, headers or body timeout, or the call's own deadline. */
export class Timeout extends SwitchyardError {
  static override readonly kind: string = 'Timeout';
  static override readonly defaultStatus: number = 408;
  static override readonly openaiType: string = 'timeout_error';
  static override defaultRetryable(): boolean {
    return true;
  }
}
