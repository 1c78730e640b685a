export { APIConnectionError } from './api-connection-error';
export { APIError } from './api-error';
export { AuthenticationError } from './authentication-error';
export { BadGatewayError } from './bad-gateway-error';
export { BadRequestError } from './bad-request-error';
export { ContentPolicyViolationError } from './content-policy-violation-error';
export { ContextWindowExceededError } from './context-window-exceeded-error';
export { type ErrorFromStatusOptions, errorFromStatus } from './error-from-status';
export { InternalServerError } from './internal-server-error';
export { NotFoundError } from './not-found-error';
export { PermissionDeniedError } from './permission-denied-error';
export { RateLimitError } from './rate-limit-error';
export { ServiceUnavailableError } from './service-unavailable-error';
export {
  type HeaderRecord,
  isRetryableStatus,
  isSwitchyardError,
  type OpenAIErrorBody,
  SwitchyardError,
  type SwitchyardErrorOptions,
} from './switchyard-error';
export { Timeout } from './timeout-error';
export { UnprocessableEntityError } from './unprocessable-entity-error';
export { UnsupportedParamsError } from './unsupported-params-error';
