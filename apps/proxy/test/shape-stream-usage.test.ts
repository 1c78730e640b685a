/**
 * A translated stream's usage, read by the proxy beside the events it
 * writes as text (SseFrames.usage), reaches the router's token accounting
 * as a chat stream's usage chunk does: a deployment's `tpm` fills up from
 * streamed /v1/messages and /v1/responses alone.
 */
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers';

let stack: Stack;
let upstream: VllmEmulator;

beforeAll(async () => {
  upstream = await startVllmEmulator({ model: 'facebook/opt-125m' });
  const v = { model: 'hosted_vllm/facebook/opt-125m', api_base: upstream.url };
  stack = await startStack({
    extraModels: ['messages', 'responses'].flatMap(api => [
      {
        model_name: `limited-${api}`,
        litellm_params: { ...v, tpm: 60, order: 0 },
        model_info: { id: `${api}-a` },
      },
      {
        model_name: `limited-${api}`,
        litellm_params: { ...v, order: 1 },
        model_info: { id: `${api}-b` },
      },
    ]),
  });
});
afterAll(async () => {
  await stack?.close();
  await upstream?.close();
});

const BODIES = {
  messages: { max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
  responses: { max_output_tokens: 16, input: 'hi', store: false },
};

describe('token accounting of translated streams', () => {
  for (const api of ['messages', 'responses'] as const) {
    it(`/v1/${api}: the first deployment's tpm fills from streamed answers`, async () => {
      const chosen: string[] = [];
      for (let i = 0; i < 12 && !chosen.includes(`${api}-b`); i++) {
        const res = await request(`${stack.proxy.url}/v1/${api}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: `limited-${api}`, stream: true, ...BODIES[api] }),
        });
        expect(res.statusCode).toBe(200);
        chosen.push(String(res.headers['x-litellm-model-id']));
        await res.body.text();
      }
      expect(chosen[0]).toBe(`${api}-a`);
      // 'a' took answers until their reported tokens passed 60, then 'b' was chosen.
      expect(chosen.filter(id => id === `${api}-a`).length).toBeGreaterThan(1);
      expect(chosen).toContain(`${api}-b`);
    });
  }
});
