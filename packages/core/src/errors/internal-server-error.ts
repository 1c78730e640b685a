import { SwitchyardError } from './switchyard-error';

/** The upstream failed (HTTP 500). */
export class InternalServerError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly internalServerErrorBrand: never;
  static override readonly kind: string = 'InternalServerError';
  static override readonly defaultStatus: number = 500;
  static override readonly openaiType: string = 'internal_server_error';
}
