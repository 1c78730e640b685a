export {
  HttpClient,
  defaultFailureMapper,
  flattenHeaders,
  type HttpClientOptions,
  type HttpFailure,
  type FailureMapper,
  type HttpRequest,
  type JsonResponse,
  type StreamResponse,
} from './http-client';
export { parseRetryAfter } from './retry-after';
export { mapTransportError, redactUrl, type TransportErrorContext } from './transport-error';
export { extractErrorMessage } from './error-message';
export { getDefaultHttpClient } from './default-http-client';
