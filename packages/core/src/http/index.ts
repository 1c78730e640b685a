export { getDefaultHttpClient } from './default-http-client';
export { extractErrorMessage } from './error-message';
export {
  defaultFailureMapper,
  type FailureMapper,
  flattenHeaders,
  HttpClient,
  type HttpClientOptions,
  type HttpFailure,
  type HttpRequest,
  type JsonResponse,
  type StreamResponse,
} from './http-client';
export { parseRetryAfter } from './retry-after';
export { type TlsConnectOptions, tlsConnectOptions } from './tls-connect';
export {
  isDefaultTls,
  resolveTlsSettings,
  type SslOptions,
  type TlsSettings,
  tlsKey,
} from './tls-settings';
export { mapTransportError, redactUrl, type TransportErrorContext } from './transport-error';
