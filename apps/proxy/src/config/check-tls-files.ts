import { resolveTlsSettings, type SslOptions, tlsConnectOptions } from '@switchyard/core';
import { ConfigError } from './config-error';
import type { DeploymentEntry, ProxyConfig } from './config-schema';

/**
 * Reads every CA bundle and client certificate the config (or
 * `SSL_CERT_FILE` / `SSL_CERTIFICATE`) names, the way calls will, so a
 * wrong path stops start-up naming the setting rather than failing the
 * first request to that upstream.
 */
export function checkTlsFiles(
  config: ProxyConfig,
  deployments: readonly DeploymentEntry[],
  env: Record<string, string | undefined> = process.env,
): void {
  const defaults: SslOptions = config.litellm_settings;
  check(
    'litellm_settings.ssl_verify / ssl_certificate (or SSL_VERIFY, SSL_CERT_FILE, SSL_CERTIFICATE)',
    {},
    defaults,
    env,
  );
  deployments.forEach((entry, index) => {
    const own: SslOptions = entry.litellm_params;
    if (own.ssl_verify === undefined && own.ssl_certificate === undefined) return;
    const where = `model_list[${index}] (${entry.model_name}).litellm_params.ssl_verify / ssl_certificate`;
    check(where, own, defaults, env);
  });
}

function check(
  where: string,
  own: SslOptions,
  defaults: SslOptions,
  env: Record<string, string | undefined>,
): void {
  const settings = resolveTlsSettings(own, defaults, env);
  if (settings === undefined) return;
  try {
    tlsConnectOptions(settings);
  } catch (error) {
    throw new ConfigError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}
