import { BadRequestError } from './bad-request-error';

/** A parameter the provider cannot honour was given; pass `drop_params: true` to drop it instead. */
export class UnsupportedParamsError extends BadRequestError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly unsupportedParamsErrorBrand: never;
  static override readonly kind: string = 'UnsupportedParamsError';
  static override readonly defaultStatus: number = 400;
  static override readonly openaiType: string = 'invalid_request_error';
}
