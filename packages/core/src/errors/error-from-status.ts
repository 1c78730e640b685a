import { APIError } from './api-error';
import { AuthenticationError } from './authentication-error';
import { BadGatewayError } from './bad-gateway-error';
import { BadRequestError } from './bad-request-error';
import { InternalServerError } from './internal-server-error';
import { NotFoundError } from './not-found-error';
import { PermissionDeniedError } from './permission-denied-error';
import { RateLimitError } from './rate-limit-error';
import { ServiceUnavailableError } from './service-unavailable-error';
import type { SwitchyardError, SwitchyardErrorOptions } from './switchyard-error';
import { Timeout } from './timeout-error';

/** Input to {@link errorFromStatus}: the upstream status plus the usual error fields. */
export interface ErrorFromStatusOptions extends Omit<SwitchyardErrorOptions, 'status'> {
  /** The status the upstream answered with. */
  status: number;
}

/**
 * Maps an upstream HTTP status to an error class by status alone — LiteLLM's
 * generic table, used for Triton and any provider without a text-aware mapper:
 * 401, 403, 404, 408, 429, 500, 502, 503, 504 → their classes; any other
 * 4xx → BadRequestError; any other 5xx → APIError with that status.
 */
export function errorFromStatus(options: ErrorFromStatusOptions): SwitchyardError {
  const { status, ...rest } = options;
  const common = { ...rest, upstreamStatus: status };
  switch (status) {
    case 401:
      return new AuthenticationError(common);
    case 403:
      return new PermissionDeniedError(common);
    case 404:
      return new NotFoundError(common);
    case 408:
      return new Timeout(common);
    case 429:
      return new RateLimitError(common);
    case 500:
      return new InternalServerError(common);
    case 502:
      return new BadGatewayError(common);
    case 503:
      return new ServiceUnavailableError(common);
    case 504:
      return new Timeout({ ...common, status: 504 });
    default:
      return status < 500 ? new BadRequestError(common) : new APIError({ ...common, status });
  }
}
