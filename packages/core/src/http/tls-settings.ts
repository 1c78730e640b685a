/**
 * How the HTTP client speaks TLS to one upstream: which server certificates
 * it trusts and which client certificate it shows. Connection settings, not
 * request fields: they pick the connection pool, never reach a body.
 */
export interface TlsSettings {
  /** Check the server's certificate and name (default true). */
  verify?: boolean;
  /** PEM file of the CAs to trust instead of Node's bundled roots. */
  caFile?: string;
  /** PEM file of the client certificate (mutual TLS); may hold its key as well. */
  certFile?: string;
  /** PEM file of the client certificate's private key; defaults to {@link TlsSettings.certFile}. */
  keyFile?: string;
}

/**
 * LiteLLM's TLS settings, by LiteLLM's names, as they appear in a call, a
 * deployment's `litellm_params` or `litellm_settings`.
 */
export interface SslOptions {
  /**
   * `false` skips checking the server's certificate; a string is the path of
   * a CA bundle (PEM) to trust instead of the bundled roots; `true` (the
   * default) checks against the bundled roots, or `SSL_CERT_FILE` when set.
   */
  ssl_verify?: boolean | string;
  /**
   * The client certificate for servers that require one: the path of a PEM
   * file holding the certificate and its key, or `[certificateFile, keyFile]`.
   */
  ssl_certificate?: string | readonly string[];
}

type Env = Record<string, string | undefined>;

/**
 * The TLS settings of a call, LiteLLM's way: a setting given on the call (or
 * the deployment) wins; then the environment (`SSL_VERIFY`,
 * `SSL_CERTIFICATE`), which LiteLLM lets override its module-level settings;
 * then `defaults` (`litellm_settings`). When the server's certificate is
 * checked against no CA bundle of the call's own, `SSL_CERT_FILE` names one.
 * Undefined means Node's defaults (verify against the bundled roots).
 */
export function resolveTlsSettings(
  call: SslOptions,
  defaults: SslOptions = {},
  env: Env = process.env,
): TlsSettings | undefined {
  const verify = normalizeVerify(
    call.ssl_verify ?? nonEmpty(env.SSL_VERIFY) ?? defaults.ssl_verify ?? true,
  );
  const certificate =
    call.ssl_certificate ?? nonEmpty(env.SSL_CERTIFICATE) ?? defaults.ssl_certificate;
  const settings: TlsSettings = {};
  if (verify === false) settings.verify = false;
  else if (typeof verify === 'string') settings.caFile = verify;
  else {
    const bundle = nonEmpty(env.SSL_CERT_FILE);
    if (bundle !== undefined) settings.caFile = bundle;
  }
  if (typeof certificate === 'string') settings.certFile = certificate;
  else if (certificate !== undefined) {
    settings.certFile = certificate[0];
    if (certificate[1] !== undefined) settings.keyFile = certificate[1];
  }
  return isDefaultTls(settings) ? undefined : settings;
}

/** `"false"` / `"true"` (any case, as LiteLLM reads `SSL_VERIFY`) become booleans; a path stays a path. */
function normalizeVerify(value: boolean | string): boolean | string {
  if (typeof value === 'boolean') return value;
  const lower = value.trim().toLowerCase();
  if (lower === 'false') return false;
  if (lower === 'true') return true;
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** True when the settings ask for nothing beyond Node's defaults. */
export function isDefaultTls(settings: TlsSettings | undefined): boolean {
  return (
    settings === undefined ||
    (settings.verify !== false &&
      settings.caFile === undefined &&
      settings.certFile === undefined &&
      settings.keyFile === undefined)
  );
}

/** One string per distinct setting, so equal settings share a connection pool. */
export function tlsKey(settings: TlsSettings): string {
  return JSON.stringify([
    settings.verify !== false,
    settings.caFile ?? null,
    settings.certFile ?? null,
    settings.keyFile ?? settings.certFile ?? null,
  ]);
}
