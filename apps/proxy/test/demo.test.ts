import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, loadConfigFile, type RunningProxy, startProxy } from '../src/index';
import { post } from './helpers';

const demoConfig = fileURLToPath(new URL('../../../examples/demo.config.yaml', import.meta.url));
let proxy: RunningProxy;

beforeAll(async () => {
  const loaded = await loadConfigFile(demoConfig);
  expect(loaded.unsupportedKeys).toEqual([]);
  proxy = await startProxy({
    config: loaded.config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
});
afterAll(() => proxy?.close());

it('the embedded demo starts both emulators and serves them', async () => {
  expect(proxy.demo?.upstreams.map(u => u.kind)).toEqual(['vllm', 'triton']);
  expect(proxy.models).toEqual(['my-model', 'my-embedding-model', 'triton-llama']);
});

it("a newcomer's first curl and first openai call succeed", async () => {
  const curl = await post(proxy.url, '/v1/chat/completions', {
    model: 'my-model',
    messages: [{ role: 'user', content: 'Hello!' }],
  });
  expect(curl.status).toBe(200);
  expect(curl.body.choices[0].message.content.length).toBeGreaterThan(0);
  const client = new OpenAI({ apiKey: 'anything', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
  const res = await client.chat.completions.create({
    model: 'triton-llama',
    messages: [{ role: 'user', content: 'who are u?' }],
    max_tokens: 10,
  });
  expect(res.choices[0]?.message.content?.length).toBeGreaterThan(0);
  const emb = await client.embeddings.create({ model: 'my-embedding-model', input: 'hi' });
  expect(emb.data[0]?.embedding.length).toBeGreaterThan(0);
});
