import { SwitchyardError } from './switchyard-error';

/** The upstream answered with something unusable (HTTP 502, or a malformed body). */
export class BadGatewayError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly badGatewayErrorBrand: never;
  static override readonly kind: string = 'BadGatewayError';
  static override readonly defaultStatus: number = 502;
  static override readonly openaiType: string = 'bad_gateway_error';
}
