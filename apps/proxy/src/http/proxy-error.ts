import { type OpenAIErrorBody, SwitchyardError } from '@switchyard/core';

/**
 * An error the proxy itself raises (not a provider's): its own OpenAI
 * `type` (`auth_error`, `not_found_error`, `invalid_request_error`, …), as
 * LiteLLM's ProxyException does, with `code` the status as a string unless
 * OpenAI has a code of its own for the case (`model_not_found`).
 */
export class ProxyError extends SwitchyardError {
  static override readonly kind: string = 'ProxyError';
  readonly type: string;

  constructor(options: {
    status: number;
    type: string;
    message: string;
    param?: string | null;
    /** OpenAI's `code`; default the status as a string. */
    code?: string;
    /** Sent as `retry-after` (seconds, rounded up). */
    retryAfterMs?: number;
  }) {
    super({
      status: options.status,
      message: options.message,
      param: options.param ?? null,
      code: options.code,
      retryAfterMs: options.retryAfterMs,
    });
    this.type = options.type;
  }

  override toOpenAIError(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}
