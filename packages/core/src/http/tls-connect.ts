import { readFileSync } from 'node:fs';
import { APIConnectionError } from '../errors/api-connection-error';
import type { TlsSettings } from './tls-settings';

/** The `tls.connect` options a {@link TlsSettings} stands for (files read). */
export interface TlsConnectOptions {
  rejectUnauthorized?: boolean;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/**
 * Reads the files a {@link TlsSettings} names into connect options. Files
 * are read once per connection pool, when the pool is made; a file that
 * cannot be read is an {@link APIConnectionError} naming it (not retryable:
 * no attempt can succeed until the file is fixed).
 */
export function tlsConnectOptions(settings: TlsSettings): TlsConnectOptions {
  const options: TlsConnectOptions = {};
  if (settings.verify === false) options.rejectUnauthorized = false;
  if (settings.caFile !== undefined) options.ca = readPem(settings.caFile, 'CA bundle');
  if (settings.certFile !== undefined) {
    options.cert = readPem(settings.certFile, 'client certificate');
    options.key =
      settings.keyFile === undefined
        ? options.cert
        : readPem(settings.keyFile, 'client certificate key');
  }
  return options;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new APIConnectionError({
      message: `TLS: cannot read the ${what} ${path} (${reason})`,
      isRetryable: false,
      cause: error,
    });
  }
}
