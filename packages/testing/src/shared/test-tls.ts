import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Paths of the test-only TLS files shipped in this package's `tls/` folder:
 * a CA, a server certificate for `localhost` / `127.0.0.1` / `::1` signed
 * by it, and a client certificate. For tests of HTTPS upstreams on
 * loopback; never trust the CA anywhere else (its keys are public).
 */
export interface TestTlsFiles {
  /** The CA (PEM) that signed both certificates. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The client certificate followed by its key, in one file. */
  clientBundle: string;
}

/** Where the test-only TLS files are (see {@link TestTlsFiles}). */
export function testTlsFiles(): TestTlsFiles {
  // From the bundle (dist/index.js) the folder is one level up, from the sources two.
  const dir = ['../tls/', '../../tls/']
    .map(relative => fileURLToPath(new URL(relative, import.meta.url)))
    .find(candidate => existsSync(`${candidate}ca.pem`));
  if (dir === undefined) throw new Error('@switchyard/testing: the tls/ folder is missing');
  return {
    ca: `${dir}ca.pem`,
    serverCert: `${dir}server.pem`,
    serverKey: `${dir}server-key.pem`,
    clientCert: `${dir}client.pem`,
    clientKey: `${dir}client-key.pem`,
    clientBundle: `${dir}client-bundle.pem`,
  };
}
