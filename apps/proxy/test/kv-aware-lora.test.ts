/**
 * The proxy from a LiteLLM-style config.yaml with `routing_strategy:
 * kv-aware`, per-deployment `kv_events` and `lora_adapters`, in front of
 * vLLM emulators that publish their prefix caches as KV events; called
 * with the official `openai` client. A conversation goes to the replica
 * whose events say it holds the conversation's blocks (and stops going to
 * one whose cache was cleared); LoRA adapters are listed, routed to the
 * replicas serving them, and loaded on demand.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvAwareStrategy } from '@switchyard/router';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfigFile, type RunningProxy, startProxy } from '../src/index';

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
let replicas: VllmEmulator[];
let proxy: RunningProxy;
let client: OpenAI;
let folder: string;

const sql = { lora: { modules: [{ name: 'sql-lora', path: '/adapters/sql' }] } };

beforeAll(async () => {
  replicas = await Promise.all(
    [{}, sql, sql].map(extra =>
      startVllmEmulator({
        model: MODEL,
        prefixCache: { blockSize: 4, blocks: 4096 },
        kvEvents: true,
        enablePromptTokensDetails: true,
        ...extra,
        lora: { ...(extra as typeof sql).lora, allowRuntimeUpdating: true },
      }),
    ),
  );
  const deployments = replicas
    .map(
      (r, i) => `  - model_name: chat
    litellm_params:
      model: hosted_vllm/${MODEL}
      api_base: ${r.url}/v1
    model_info:
      id: replica-${i}
      kv_events:
        endpoint: ${r.kvEvents!.endpoint}
        replay_endpoint: ${r.kvEvents!.replayEndpoint}
`,
    )
    .join('');
  folder = await mkdtemp(join(tmpdir(), 'switchyard-kv-'));
  const path = join(folder, 'config.yaml');
  await writeFile(
    path,
    `model_list:
${deployments}
router_settings:
  routing_strategy: kv-aware
  routing_strategy_args:
    block_size: 4
    poll_interval: 30
  num_retries: 0
  lora_adapters:
    load_on_demand: true
    adapters:
      poem-lora:
        model_group: chat
        path: /adapters/poem
`,
  );
  const { config } = await loadConfigFile(path);
  proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${proxy.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all((replicas ?? []).map(r => r.close()));
  if (folder) await rm(folder, { recursive: true, force: true });
});

type Message = { role: 'system' | 'user' | 'assistant'; content: string };
const words = (n: number, seed: string) =>
  Array.from({ length: n }, (_, i) => `${seed}${i}`).join(' ');

async function chat(model: string, messages: Message[]) {
  const { data, response } = await client.chat.completions
    .create({ model, messages, max_tokens: 5 })
    .withResponse();
  const usage = data.usage as { prompt_tokens_details?: { cached_tokens?: number } } | undefined;
  return {
    replica: response.headers.get('x-litellm-model-id')!,
    text: data.choices[0]!.message.content ?? '',
    model: data.model,
    cached: usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

/** Waits, turn by turn of the event loop, until the router's index agrees. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise(resolve => setImmediate(resolve));
  }
}

describe('proxy with kv-aware routing and LoRA adapters', () => {
  it('sends a conversation to the replica whose KV events show its blocks', async () => {
    const kv = proxy.router.strategy as KvAwareStrategy;
    expect(kv.name).toBe('kv-aware');
    const conversation: Message[] = [
      { role: 'system', content: words(60, 'policy-') },
      { role: 'user', content: words(30, 'question-') },
    ];
    const first = await chat('chat', conversation);
    await kv.settle();
    await until(
      () => kv.predictCachedTokens('chat', { messages: conversation }, first.replica) > 0,
      'first replica indexed',
    );

    // The engine that served it drops its cache; another one computes the same conversation.
    const holder = replicas.find((_, i) => `replica-${i}` !== first.replica)!;
    const holderId = `replica-${replicas.indexOf(holder)}`;
    replicas[Number(first.replica.slice(-1))]!.resetPrefixCache();
    const direct = await fetch(`${holder.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: conversation, max_tokens: 5 }),
    });
    expect(direct.status).toBe(200);
    await until(
      () =>
        kv.predictCachedTokens('chat', { messages: conversation }, first.replica) === 0 &&
        kv.predictCachedTokens('chat', { messages: conversation }, holderId) > 0,
      'events applied',
    );

    const next = [
      ...conversation,
      { role: 'assistant' as const, content: first.text },
      { role: 'user' as const, content: 'and then?' },
    ];
    for (let i = 0; i < 3; i++) {
      const answer = await chat('chat', next);
      expect(answer.replica).toBe(holderId);
      expect(answer.cached).toBeGreaterThan(0);
    }
  });

  it('lists adapters, routes one to the replicas serving it, and loads another on demand', async () => {
    const models = await client.models.list();
    expect(models.data.map(m => m.id)).toEqual(['chat', 'sql-lora', 'poem-lora']);

    for (let i = 0; i < 6; i++) {
      const answer = await chat('sql-lora', [{ role: 'user', content: `query number ${i}` }]);
      expect(answer.model).toBe('sql-lora');
      expect(['replica-1', 'replica-2']).toContain(answer.replica);
    }

    const loaded = await Promise.all(
      [0, 1, 2].map(i => chat('poem-lora', [{ role: 'user', content: `a poem about ${i}` }])),
    );
    const where = new Set(loaded.map(a => a.replica));
    expect(where.size).toBe(1);
    // One load, for three concurrent requests.
    const loads = replicas.map(
      r => r.requests.entries.filter(q => q.path === '/v1/load_lora_adapter').length,
    );
    expect(loads.reduce((a, b) => a + b, 0)).toBe(1);
    expect(loads[Number([...where][0]!.slice(-1))]).toBe(1);

    await expect(
      client.chat.completions.create({
        model: 'prose-lora',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
