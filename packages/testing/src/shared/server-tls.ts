import { readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';

/**
 * HTTPS for an emulator: its certificate and key (PEM), and optionally the
 * CA that clients' certificates must chain to — given a CA, the emulator
 * asks every client for a certificate and refuses the handshake without a
 * valid one (mutual TLS).
 */
export interface EmulatorTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** Require client certificates signed by this CA. */
  ca?: string | Buffer;
}

/** node:https server options for {@link EmulatorTlsOptions}. */
export function httpsServerOptions(tls: EmulatorTlsOptions): ServerOptions {
  return {
    cert: tls.cert,
    key: tls.key,
    ...(tls.ca === undefined ? {} : { ca: tls.ca, requestCert: true, rejectUnauthorized: true }),
  };
}

/** The files of the CLI's `--tls-cert`, `--tls-key` and `--tls-ca`. */
export interface EmulatorTlsFiles {
  cert?: string;
  key?: string;
  ca?: string;
}

/** Reads the CLI's TLS files; undefined when none is given. */
export function readEmulatorTls(files: EmulatorTlsFiles): EmulatorTlsOptions | undefined {
  if (files.cert === undefined && files.key === undefined && files.ca === undefined) {
    return undefined;
  }
  if (files.cert === undefined || files.key === undefined) {
    throw new Error('--tls-cert and --tls-key go together (and --tls-ca needs both)');
  }
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`--${flag} ${path}: ${(error as Error).message}`);
    }
  };
  return {
    cert: read('tls-cert', files.cert),
    key: read('tls-key', files.key),
    ...(files.ca === undefined ? {} : { ca: read('tls-ca', files.ca) }),
  };
}

/** The help lines of the TLS flags, shared by both emulators (`width`: the flag column). */
export function tlsUsage(width: number): string {
  return [
    ['--tls-cert FILE', 'serve HTTPS with this certificate (PEM)'],
    ['--tls-key FILE', 'the private key of --tls-cert (PEM)'],
    ['--tls-ca FILE', 'require client certificates signed by this CA (mutual TLS)'],
  ]
    .map(([flag, text]) => `  ${flag!.padEnd(width)}${text}\n`)
    .join('');
}

/** The `parseArgs` options of the TLS flags. */
export const TLS_FLAGS = {
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'tls-ca': { type: 'string' },
} as const;
