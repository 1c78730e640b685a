import { SwitchyardError } from '@switchyard/core';

/**
 * The store cannot answer now (the embedded store's worker stopped and is
 * being reopened): a 503 the client may retry, in OpenAI's error shape
 * with LiteLLM's `no_db_connection` type, never a 500 or a hang.
 */
export class StoreUnavailableError extends SwitchyardError {
  /** Type-only: keeps this class distinct from its siblings. */
  declare private readonly storeUnavailableErrorBrand: never;
  static override readonly kind: string = 'StoreUnavailableError';
  static override readonly defaultStatus: number = 503;
  static override readonly openaiType: string = 'no_db_connection';

  constructor(reason: string) {
    super({
      status: 503,
      message: `The database stopped (${reason}); it is being reopened: retry.`,
      retryAfterMs: 1_000,
    });
  }
}
