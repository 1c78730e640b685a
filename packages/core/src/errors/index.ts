export {
  SwitchyardError,
  isSwitchyardError,
  isRetryableStatus,
  type SwitchyardErrorOptions,
  type OpenAIErrorBody,
  type HeaderRecord,
} from './switchyard-error';
export { BadRequestError } from './bad-request-error';
export { ContextWindowExceededError } from './context-window-exceeded-error';
export { ContentPolicyViolationError } from './content-policy-violation-error';
export { UnsupportedParamsError } from './unsupported-params-error';
export { AuthenticationError } from './authentication-error';
export { PermissionDeniedError } from './permission-denied-error';
export { NotFoundError } from './not-found-error';
export { Timeout } from './timeout-error';
export { UnprocessableEntityError } from './unprocessable-entity-error';
export { RateLimitError } from './rate-limit-error';
export { InternalServerError } from './internal-server-error';
export { BadGatewayError } from './bad-gateway-error';
export { ServiceUnavailableError } from './service-unavailable-error';
export { APIError } from './api-error';
export { APIConnectionError } from './api-connection-error';
export { errorFromStatus, type ErrorFromStatusOptions } from './error-from-status';
