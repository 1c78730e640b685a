/** HttpClient over HTTPS on loopback, with the repository's test-only CA (packages/testing/tls). */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIConnectionError, HttpClient, resolveTlsSettings } from '../src/index';

const dir = fileURLToPath(new URL('../../testing/tls/', import.meta.url));
const file = (name: string) => `${dir}${name}`;
const pem = (name: string) => readFileSync(file(name));

interface HttpsServer {
  url: string;
  server: Server;
}

/** An HTTPS server that answers with the CN of the client certificate it was shown, if any. */
async function startHttpsServer(requireClientCert: boolean): Promise<HttpsServer> {
  const server = createServer(
    {
      cert: pem('server.pem'),
      key: pem('server-key.pem'),
      ...(requireClientCert
        ? { ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: true }
        : {}),
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ client: peer?.subject?.CN ?? null }));
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `https://127.0.0.1:${address.port}/`, server };
}

let plain: HttpsServer;
let mutual: HttpsServer;
const client = new HttpClient();

beforeAll(async () => {
  plain = await startHttpsServer(false);
  mutual = await startHttpsServer(true);
});
afterAll(async () => {
  await client.close();
  plain.server.close();
  mutual.server.close();
});

async function rejection(promise: Promise<unknown>): Promise<APIConnectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(APIConnectionError.isInstance(error)).toBe(true);
  return error as APIConnectionError;
}

describe('HttpClient TLS', () => {
  it('refuses a server certificate from an unknown CA, saying so and what to set', async () => {
    const error = await rejection(client.json({ url: plain.url }));
    expect(error.message).toMatch(/TLS certificate could not be verified/);
    expect(error.message).toMatch(/ssl_verify/);
    expect(error.isRetryable).toBe(false);
  });

  it('trusts a CA bundle given as caFile, on a pool of its own', async () => {
    const withCa = client.withTls({ caFile: file('ca.pem') });
    expect((await withCa.json({ url: plain.url })).data).toEqual({ client: null });
    // The same settings share the pool; the client without them still refuses.
    expect(client.withTls({ caFile: file('ca.pem') })).toBe(withCa);
    expect(client.withTls(undefined)).toBe(client);
    await rejection(client.json({ url: plain.url }));
  });

  it('skips verification with verify: false', async () => {
    const insecure = client.withTls({ verify: false });
    expect(insecure).not.toBe(client);
    expect((await insecure.json({ url: plain.url })).data).toEqual({ client: null });
  });

  it('shows a client certificate from one file (certificate and key) or two', async () => {
    const bundle = client.withTls({ caFile: file('ca.pem'), certFile: file('client-bundle.pem') });
    expect((await bundle.json({ url: mutual.url })).data).toEqual({
      client: 'switchyard-test-client',
    });
    const pair = client.withTls({
      caFile: file('ca.pem'),
      certFile: file('client.pem'),
      keyFile: file('client-key.pem'),
    });
    expect(pair).not.toBe(bundle);
    expect((await pair.json({ url: mutual.url })).data).toEqual({
      client: 'switchyard-test-client',
    });
  });

  it('hints at a missing client certificate when the server closes the handshake', async () => {
    const noCert = client.withTls({ caFile: file('ca.pem') });
    const error = await rejection(noCert.json({ url: mutual.url }));
    expect(error.message).toMatch(/client certificate, give one with ssl_certificate/);
  });

  it('names a CA file it cannot read, not retryable', () => {
    let thrown: unknown;
    try {
      client.withTls({ caFile: file('missing.pem') });
    } catch (error) {
      thrown = error;
    }
    expect(APIConnectionError.isInstance(thrown)).toBe(true);
    expect((thrown as APIConnectionError).message).toContain('cannot read the CA bundle');
    expect((thrown as APIConnectionError).message).toContain('missing.pem');
    expect((thrown as APIConnectionError).isRetryable).toBe(false);
  });
});

describe('resolveTlsSettings (LiteLLM semantics)', () => {
  it('is undefined when nothing is set: Node defaults', () => {
    expect(resolveTlsSettings({}, {}, {})).toBeUndefined();
    expect(resolveTlsSettings({ ssl_verify: true }, {}, {})).toBeUndefined();
  });

  it('reads ssl_verify as false or a CA bundle path', () => {
    expect(resolveTlsSettings({ ssl_verify: false }, {}, {})).toEqual({ verify: false });
    expect(resolveTlsSettings({ ssl_verify: '/ca.pem' }, {}, {})).toEqual({ caFile: '/ca.pem' });
    expect(resolveTlsSettings({ ssl_verify: 'False' }, {}, {})).toEqual({ verify: false });
  });

  it('lets the call win over SSL_VERIFY, and SSL_VERIFY over the defaults', () => {
    const env = { SSL_VERIFY: 'false' };
    expect(resolveTlsSettings({ ssl_verify: '/ca.pem' }, {}, env)).toEqual({ caFile: '/ca.pem' });
    expect(resolveTlsSettings({}, { ssl_verify: '/ca.pem' }, env)).toEqual({ verify: false });
    expect(resolveTlsSettings({}, { ssl_verify: '/ca.pem' }, {})).toEqual({ caFile: '/ca.pem' });
  });

  it('uses SSL_CERT_FILE only when verifying without a bundle of its own', () => {
    const env = { SSL_CERT_FILE: '/env-ca.pem' };
    expect(resolveTlsSettings({}, {}, env)).toEqual({ caFile: '/env-ca.pem' });
    expect(resolveTlsSettings({ ssl_verify: '/ca.pem' }, {}, env)).toEqual({ caFile: '/ca.pem' });
    expect(resolveTlsSettings({ ssl_verify: false }, {}, env)).toEqual({ verify: false });
  });

  it('reads ssl_certificate as one file or [certificate, key], SSL_CERTIFICATE over defaults', () => {
    expect(resolveTlsSettings({ ssl_certificate: '/c.pem' }, {}, {})).toEqual({
      certFile: '/c.pem',
    });
    expect(resolveTlsSettings({ ssl_certificate: ['/c.pem', '/k.pem'] }, {}, {})).toEqual({
      certFile: '/c.pem',
      keyFile: '/k.pem',
    });
    expect(
      resolveTlsSettings({}, { ssl_certificate: '/d.pem' }, { SSL_CERTIFICATE: '/e.pem' }),
    ).toEqual({ certFile: '/e.pem' });
  });
});
