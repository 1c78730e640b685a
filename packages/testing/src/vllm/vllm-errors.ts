/**
 * vLLM's error bodies. Three shapes exist on the wire (spec §A.6, §E.1):
 * the current envelope `{"error":{message,type,param,code}}`, the ≤0.9
 * top-level `{"object":"error",…}`, and the 401 `{"error":"Unauthorized"}`.
 */

/** Which release family's error body the emulator writes. */
export type VllmErrorShape = 'current' | 'legacy';

/** An error a route raises; the emulator turns it into the configured body. */
export class VllmHttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  constructor(options: { status: number; type: string; message: string; param?: string | null }) {
    super(options.message);
    this.name = 'VllmHttpError';
    this.status = options.status;
    this.type = options.type;
    this.param = options.param ?? null;
  }
}

/** 400 `BadRequestError`: what vLLM raises for a ValueError while serving. */
export function badRequest(message: string, param: string | null = null): VllmHttpError {
  return new VllmHttpError({ status: 400, type: 'BadRequestError', message, param });
}

/** 404 for a model that is not served (fixture 20). */
export function modelNotFound(model: string): VllmHttpError {
  return new VllmHttpError({
    status: 404,
    type: 'NotFoundError',
    message: `The model \`${model}\` does not exist.`,
    param: 'model',
  });
}

/** The body for an error in the configured shape. */
export function errorBody(error: VllmHttpError, shape: VllmErrorShape): unknown {
  if (shape === 'legacy') {
    // ≤0.9 had no `param` for these errors and used *Error type names throughout.
    return {
      object: 'error',
      message: error.message,
      type: error.type === 'Bad Request' ? 'BadRequestError' : error.type,
      param: null,
      code: error.status,
    };
  }
  return {
    error: { message: error.message, type: error.type, param: error.param, code: error.status },
  };
}

/** The in-band stream error event body (spec §A.4: the ≤0.9 body is wrapped once more). */
export function streamErrorBody(error: VllmHttpError, shape: VllmErrorShape): unknown {
  return shape === 'legacy' ? { error: errorBody(error, 'legacy') } : errorBody(error, 'current');
}

const PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The HTTP reason phrase vLLM uses as `type` for HTTPException-style errors. */
export function httpPhrase(status: number): string {
  return PHRASES[status] ?? 'Error';
}

/** The error a status-only fault answers with, as vLLM would format an HTTPException. */
export function faultError(status: number): VllmHttpError {
  if (status === 500) {
    return new VllmHttpError({
      status,
      type: 'InternalServerError',
      message: 'Internal server error',
    });
  }
  return new VllmHttpError({
    status,
    type: httpPhrase(status),
    message: `Emulated fault: HTTP ${status} ${httpPhrase(status)}`,
  });
}
