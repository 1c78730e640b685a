import { SwitchyardError } from './switchyard-error';

/** The credentials are valid but not allowed to do this (HTTP 403). */
export class PermissionDeniedError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings, so narrowing by `isInstance` is exact. */
  declare private readonly permissionDeniedErrorBrand: never;
  static override readonly kind: string = 'PermissionDeniedError';
  static override readonly defaultStatus: number = 403;
  static override readonly openaiType: string = 'permission_error';
}
