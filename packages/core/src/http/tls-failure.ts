/**
 * OpenSSL's certificate verification failures as Node reports them (the
 * `code` of the socket error), plus Node's own name check.
 */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether a transport error code says the server's certificate could not be verified. */
export function isCertificateFailure(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_CODES.has(code);
}

/** What to do about an unverifiable server certificate, in LiteLLM's setting names. */
export const CERTIFICATE_ADVICE =
  'If the server uses a private CA, trust it with ssl_verify: <path to the CA bundle (PEM)> ' +
  'or the SSL_CERT_FILE environment variable; ssl_verify: false turns the check off.';

/**
 * The hint for a TLS connection the server closed before answering: a
 * server that requires a client certificate does that to a client that
 * shows none (or one it does not trust), and undici reports only the close.
 */
export function closedBeforeAnswerHint(url: string, error: unknown): string | undefined {
  if (!url.startsWith('https:')) return undefined;
  const socket = (error as { socket?: { bytesRead?: unknown } } | undefined)?.socket;
  if (socket?.bytesRead !== 0) return undefined;
  return (
    'the server closed the TLS connection before answering; if it requires a client ' +
    'certificate, give one with ssl_certificate'
  );
}
