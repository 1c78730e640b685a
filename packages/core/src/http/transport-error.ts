import { APIConnectionError } from '../errors/api-connection-error';
import { isSwitchyardError, type SwitchyardError } from '../errors/switchyard-error';
import { Timeout } from '../errors/timeout-error';
import { CERTIFICATE_ADVICE, closedBeforeAnswerHint, isCertificateFailure } from './tls-failure';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/** Where a transport failure happened, for the error message and fields. */
export interface TransportErrorContext {
  method: string;
  url: string;
  provider?: string;
  model?: string;
}

/**
 * Turns what undici (or Node's socket layer) threw into a Switchyard error:
 * connect / headers / body timeouts become {@link Timeout}; refused, reset or
 * cut connections and DNS failures become {@link APIConnectionError}. Both
 * are retryable — except a server certificate that cannot be verified,
 * which no retry fixes: its message says so and what to set. Switchyard
 * errors pass through unchanged.
 */
export function mapTransportError(error: unknown, ctx: TransportErrorContext): SwitchyardError {
  if (isSwitchyardError(error)) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const where = `${ctx.method} ${redactUrl(ctx.url)}`;
  const fields = { provider: ctx.provider, model: ctx.model, cause: error };
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new Timeout({ ...fields, message: `${where} timed out (${code}): ${detail}`, code });
  }
  if (isCertificateFailure(code)) {
    return new APIConnectionError({
      ...fields,
      message: `${where} failed: the server's TLS certificate could not be verified (${code}: ${detail}). ${CERTIFICATE_ADVICE}`,
      code,
      isRetryable: false,
    });
  }
  const hint = code === 'UND_ERR_SOCKET' ? closedBeforeAnswerHint(ctx.url, error) : undefined;
  return new APIConnectionError({
    ...fields,
    message: `${where} failed${code ? ` (${code})` : ''}: ${detail}${hint ? ` (${hint})` : ''}`,
    ...(code ? { code } : {}),
  });
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps socket errors; the useful code may sit one `cause` down.
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Drops credentials from a URL before it goes into a message or a log. */
export function redactUrl(url: string): string {
  // Credentials sit before an `@`: most URLs have none and need no parse
  // (this runs for the log line of every failed request).
  if (!url.includes('@')) return url;
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
