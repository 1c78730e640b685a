/**
 * Triton's error codes (`TRITONSERVER_Error_Code`) and the HTTP status its
 * HTTP frontend maps each one to (`HttpCodeFromError` in the server's
 * `http_server.cc`): anything without a direct match is 400.
 */
export type TritonErrorCode =
  | 'UNKNOWN'
  | 'INTERNAL'
  | 'NOT_FOUND'
  | 'INVALID_ARG'
  | 'UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'ALREADY_EXISTS'
  | 'CANCELLED';

const STATUS_BY_CODE: Record<TritonErrorCode, number> = {
  UNKNOWN: 400,
  INTERNAL: 500,
  NOT_FOUND: 404,
  INVALID_ARG: 400,
  UNAVAILABLE: 503,
  UNSUPPORTED: 501,
  ALREADY_EXISTS: 400,
  CANCELLED: 400,
};

/** An error the emulated server reports as `{"error":"<message>"}` with the mapped status. */
export class TritonError extends Error {
  readonly code: TritonErrorCode;

  constructor(code: TritonErrorCode, message: string) {
    super(message);
    this.name = 'TritonError';
    this.code = code;
  }

  /** The HTTP status Triton's HTTP frontend sends for this error. */
  get status(): number {
    return STATUS_BY_CODE[this.code];
  }

  /** The wire body: Triton errors are always a single string under `error`. */
  toBody(): { error: string } {
    return { error: this.message };
  }

  /** Recognises a TritonError, also across duplicated module copies. */
  static isInstance(value: unknown): value is TritonError {
    return (
      value instanceof TritonError ||
      (typeof value === 'object' &&
        value !== null &&
        (value as { name?: unknown }).name === 'TritonError' &&
        typeof (value as { code?: unknown }).code === 'string')
    );
  }
}
