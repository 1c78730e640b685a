import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';

let replicas: VllmEmulator[];
let proxy: RunningProxy;

beforeAll(async () => {
  replicas = await Promise.all(
    [0, 1, 2].map(() => startVllmEmulator({ model: 'facebook/opt-125m' })),
  );
  const { config } = parseConfig({
    model_list: replicas.map(replica => ({
      model_name: 'chat',
      litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: replica.url },
    })),
    router_settings: {
      routing_strategy: 'session-affinity',
      routing_strategy_args: { session_key: 'header:x-session-id' },
    },
  });
  proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
});
afterAll(async () => {
  await proxy.close();
  await Promise.all(replicas.map(replica => replica.close()));
});

async function chat(session: string): Promise<string> {
  const res = await request(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': session },
    body: JSON.stringify({
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 4,
    }),
  });
  expect(res.statusCode).toBe(200);
  await res.body.text();
  return String(res.headers['x-litellm-model-api-base']);
}

it('keeps a session on one replica by its header through the proxy', async () => {
  const placements = new Map<string, Set<string>>();
  for (let turn = 0; turn < 4; turn++) {
    for (let s = 0; s < 12; s++) {
      const session = `conversation-${s}`;
      const base = await chat(session);
      placements.set(session, (placements.get(session) ?? new Set()).add(base));
    }
  }
  for (const bases of placements.values()) expect(bases.size).toBe(1);
  // Twelve sessions do not all hash onto one replica.
  const used = new Set([...placements.values()].map(bases => [...bases][0]));
  expect(used.size).toBeGreaterThan(1);
});
