/**
 * TLS to upstreams from config.yaml: `ssl_verify` / `ssl_certificate` per
 * deployment and in `litellm_settings`, against the emulators serving HTTPS
 * on loopback with the test-only CA of @switchyard/testing.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  testTlsFiles,
  type VllmEmulator,
} from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLogger,
  parseConfig,
  type RunningProxy,
  startProxy,
} from '../src/index';
import { post } from './helpers';

const files = testTlsFiles();
const serverTls = { cert: readFileSync(files.serverCert), key: readFileSync(files.serverKey) };
const messages = [{ role: 'user', content: 'Hello' }];

let vllm: VllmEmulator;
/** Requires a client certificate (mutual TLS). */
let triton: TritonEmulator;
let proxy: RunningProxy | undefined;

beforeAll(async () => {
  vllm = await startVllmEmulator({ tls: serverTls });
  triton = await startTritonEmulator({
    models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }],
    tls: { ...serverTls, ca: readFileSync(files.ca) },
  });
});
afterAll(async () => {
  await vllm.close();
  await triton.close();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

let dirs = 0;

async function start(raw: Record<string, unknown>): Promise<RunningProxy> {
  const { config } = parseConfig(
    {
      ...raw,
      litellm_settings: { num_retries: 0, ...(raw.litellm_settings as object) },
      general_settings: {
        ...(raw.general_settings as object),
        switchyard_data_dir: join(tmpdir(), `switchyard-tls-${process.pid}-${++dirs}`),
      },
    },
    { env: {} },
  );
  return startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
}

const vllmDeployment = (params: Record<string, unknown> = {}) => ({
  model_name: 'secure-vllm',
  litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url, ...params },
});

describe('TLS to upstreams from config.yaml', () => {
  it('a deployment trusts its CA with ssl_verify, and the setting never reaches the body', async () => {
    proxy = await start({ model_list: [vllmDeployment({ ssl_verify: files.ca })] });
    const res = await post(proxy.url, '/v1/chat/completions', { model: 'secure-vllm', messages });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content.length).toBeGreaterThan(0);
    const body = vllm.requests.entries.at(-1)!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('ssl_verify');
  });

  it('ssl_verify: false is a connection setting too, not a body field', async () => {
    proxy = await start({ model_list: [vllmDeployment({ ssl_verify: false })] });
    const res = await post(proxy.url, '/v1/chat/completions', { model: 'secure-vllm', messages });
    expect(res.status).toBe(200);
    expect(vllm.requests.entries.at(-1)!.body).not.toHaveProperty('ssl_verify');
  });

  it('litellm_settings apply to every deployment; ssl_certificate answers mutual TLS', async () => {
    proxy = await start({
      model_list: [
        vllmDeployment(),
        {
          model_name: 'secure-triton',
          litellm_params: {
            model: 'triton/llama-3-8b-instruct',
            api_base: triton.url,
            ssl_certificate: [files.clientCert, files.clientKey],
          },
        },
      ],
      litellm_settings: { ssl_verify: files.ca },
    });
    const fromVllm = await post(proxy.url, '/v1/chat/completions', {
      model: 'secure-vllm',
      messages,
    });
    expect(fromVllm.status).toBe(200);
    const fromTriton = await post(proxy.url, '/v1/chat/completions', {
      model: 'secure-triton',
      messages,
    });
    expect(fromTriton.status).toBe(200);
    expect(fromTriton.body.choices[0].message.content.length).toBeGreaterThan(0);
  });

  it('an upstream certificate it cannot verify is an error that says so', async () => {
    proxy = await start({ model_list: [vllmDeployment()] });
    const res = await post(proxy.url, '/v1/chat/completions', { model: 'secure-vllm', messages });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.error.type).toBe('api_connection_error');
    expect(res.body.error.message).toMatch(/TLS certificate could not be verified/);
  });

  it('refuses TLS settings in a request body, even with allow_client_side_credentials', async () => {
    proxy = await start({
      model_list: [vllmDeployment({ ssl_verify: files.ca })],
      general_settings: { allow_client_side_credentials: true },
    });
    for (const field of ['ssl_verify', 'ssl_certificate', 'sslVerify']) {
      const res = await post(proxy.url, '/v1/chat/completions', {
        model: 'secure-vllm',
        messages,
        [field]: field === 'ssl_certificate' ? '/etc/hostname' : false,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe(field);
    }
  });

  it('a CA bundle that cannot be read stops start-up, naming the deployment', async () => {
    const failure = start({
      model_list: [vllmDeployment({ ssl_verify: join(tmpdir(), 'no-such-ca.pem') })],
    });
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow(
      /model_list\[0\] \(secure-vllm\)\.litellm_params\.ssl_verify.*cannot read the CA bundle/,
    );
  });
});
