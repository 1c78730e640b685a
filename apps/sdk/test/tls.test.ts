/**
 * LiteLLM's TLS settings through the SDK, against the emulators serving
 * HTTPS on loopback with the test-only CA of @switchyard/testing.
 */
import { readFileSync } from 'node:fs';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  testTlsFiles,
  type VllmEmulator,
} from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIConnectionError, Router, SwitchyardClient } from '../src/index';

const files = testTlsFiles();
const serverTls = {
  cert: readFileSync(files.serverCert),
  key: readFileSync(files.serverKey),
};
const messages = [{ role: 'user' as const, content: 'Hello' }];

let vllm: VllmEmulator;
/** Triton that requires a client certificate (mutual TLS). */
let triton: TritonEmulator;
const client = new SwitchyardClient();

beforeAll(async () => {
  vllm = await startVllmEmulator({ tls: serverTls });
  triton = await startTritonEmulator({
    models: [{ name: 'llama', profile: 'vllm' }],
    tls: { ...serverTls, ca: readFileSync(files.ca) },
  });
});
afterAll(async () => {
  await vllm.close();
  await triton.close();
});

async function connectionError(promise: Promise<unknown>): Promise<APIConnectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(APIConnectionError.isInstance(error)).toBe(true);
  return error as APIConnectionError;
}

describe('ssl_verify and ssl_certificate', () => {
  it('an HTTPS upstream of a private CA fails with an APIConnectionError that says why', async () => {
    expect(vllm.url.startsWith('https://')).toBe(true);
    const error = await connectionError(
      client.completion({ model: 'hosted_vllm/facebook/opt-125m', messages, api_base: vllm.url }),
    );
    expect(error.message).toMatch(/TLS certificate could not be verified/);
  });

  it('ssl_verify: <CA bundle> trusts it, and never reaches the request body', async () => {
    const response = await client.completion({
      model: 'hosted_vllm/facebook/opt-125m',
      messages,
      api_base: vllm.url,
      ssl_verify: files.ca,
    });
    expect(response.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const body = vllm.requests.entries.at(-1)!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('ssl_verify');
    expect(body.model).toBe('facebook/opt-125m');
  });

  it('ssl_verify: false skips the check', async () => {
    const response = await client.completion({
      model: 'hosted_vllm/facebook/opt-125m',
      messages,
      api_base: vllm.url,
      sslVerify: false,
    });
    expect(response.choices).toHaveLength(1);
    expect(vllm.requests.entries.at(-1)!.body).not.toHaveProperty('sslVerify');
  });

  it('ssl_certificate shows a client certificate to a server that requires one', async () => {
    const call = (extra: Record<string, unknown>) =>
      client.completion({
        model: 'triton/llama',
        messages,
        api_base: triton.url,
        triton_backend: 'vllm',
        ssl_verify: files.ca,
        ...extra,
      });
    const refused = await connectionError(call({}));
    expect(refused.message).toMatch(/ssl_certificate/);
    const bundle = await call({ ssl_certificate: files.clientBundle });
    expect(bundle.choices).toHaveLength(1);
    const pair = await call({ ssl_certificate: [files.clientCert, files.clientKey] });
    expect(pair.choices).toHaveLength(1);
    expect(triton.requests.entries.at(-1)!.body).not.toHaveProperty('ssl_certificate');
  });

  it("a client's ssl_verify applies to every call; a call's own setting wins", async () => {
    const trusting = new SwitchyardClient({ ssl_verify: files.ca });
    const ok = await trusting.completion({
      model: 'hosted_vllm/facebook/opt-125m',
      messages,
      api_base: vllm.url,
    });
    expect(ok.choices).toHaveLength(1);
    await connectionError(
      trusting.completion({
        model: 'hosted_vllm/facebook/opt-125m',
        messages,
        api_base: vllm.url,
        ssl_verify: files.clientCert, // a PEM that holds no CA of this server
      }),
    );
  });

  it('a router deployment reads ssl_verify from litellm_params (as a connection setting)', async () => {
    const router = new Router({
      model_list: [
        {
          model_name: 'secure',
          litellm_params: {
            model: 'hosted_vllm/facebook/opt-125m',
            api_base: vllm.url,
            ssl_verify: files.ca,
          },
        },
      ],
      client,
    });
    for (let i = 0; i < 2; i++) {
      const completion = await router.completion({ model: 'secure', messages });
      expect(completion.choices).toHaveLength(1);
      expect(vllm.requests.entries.at(-1)!.body).not.toHaveProperty('ssl_verify');
    }
    await router.close();
  });
});
