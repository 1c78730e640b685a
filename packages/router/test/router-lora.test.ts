/**
 * LoRA adapters routed through their base model's group, against vLLM
 * emulators: requests for an adapter go only to the replicas that list it
 * in `/v1/models` (and reach them under the adapter's name); with
 * `load_on_demand`, an adapter no replica holds is loaded once — however
 * many requests ask at the same time — on the least-loaded replica; a
 * refused load is a 503 naming the adapter; without the opt-in an adapter
 * nobody serves is an unknown model. With kv-aware routing, an adapter's
 * conversation follows its own blocks, apart from the base model's.
 */
import {
  startVllmEmulator,
  type VllmEmulator,
  type VllmEmulatorOptions,
} from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type KvAwareStrategy, Router } from '../src/index';
import { holdStream, words } from './engine-helpers';
import { deploymentFor, vllmInvoke } from './helpers';

const emus: VllmEmulator[] = [];
const routers: Router[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map(r => r.close()));
  await Promise.all(emus.splice(0).map(e => e.close()));
});

async function replicas(options: VllmEmulatorOptions[]): Promise<VllmEmulator[]> {
  const started = await Promise.all(
    options.map(o => startVllmEmulator({ model: 'meta-llama/Llama-3.1-8B-Instruct', ...o })),
  );
  emus.push(...started);
  return started;
}

function router(list: VllmEmulator[], extra: Record<string, unknown> = {}, kvEvents = false) {
  const r = new Router({
    model_list: list.map((e, i) =>
      deploymentFor(
        e,
        'llama',
        `r${i}`,
        {},
        kvEvents
          ? {
              kv_events: {
                endpoint: e.kvEvents!.endpoint,
                replay_endpoint: e.kvEvents!.replayEndpoint,
              },
            }
          : {},
      ),
    ),
    invoke: vllmInvoke,
    num_retries: 0,
    ...extra,
  });
  routers.push(r);
  return r;
}

const ask = (r: Router, model: string, content = 'count the rows of a table') =>
  r.completion({ model, messages: [{ role: 'user', content }], max_tokens: 3 });

/** Chat calls each emulator received, with the model they named. */
const chatModels = (list: VllmEmulator[]) =>
  list.map(e =>
    e.requests.entries
      .filter(q => q.path === '/v1/chat/completions')
      .map(q => (q.body as { model: string }).model),
  );

const loads = (list: VllmEmulator[]) =>
  list.map(e => e.requests.entries.filter(q => q.path === '/v1/load_lora_adapter').length);

describe('LoRA adapters', () => {
  it('sends adapter requests only to the replicas serving the adapter, under its name', async () => {
    const list = await replicas([
      {},
      { lora: { modules: [{ name: 'sql-lora', path: '/adapters/sql' }] } },
      { lora: { modules: [{ name: 'sql-lora', path: '/adapters/sql' }] } },
    ]);
    const r = router(list, { lora_adapters: {} });
    await r.refreshLoraAdapters();
    expect(r.modelGroups()).toEqual(['llama', 'sql-lora']);
    expect(r.modelGroup('sql-lora')?.deployments.map(d => d.id)).toEqual(['r1', 'r2']);
    for (let i = 0; i < 12; i++) {
      const res = await ask(r, 'sql-lora');
      expect(res.data.model).toBe('sql-lora');
      expect(res.routing.modelGroup).toBe('llama');
    }
    const [none, one, two] = chatModels(list);
    expect(none).toEqual([]);
    expect([...one!, ...two!]).toHaveLength(12);
    expect(new Set([...one!, ...two!])).toEqual(new Set(['sql-lora']));
    // The base model still goes everywhere.
    for (let i = 0; i < 12; i++) await ask(r, 'llama');
    expect(chatModels(list)[0]!.length).toBeGreaterThan(0);
  });

  it('without load_on_demand, an adapter no replica serves is an unknown model', async () => {
    const list = await replicas([{ lora: { allowRuntimeUpdating: true } }]);
    const r = router(list, {
      lora_adapters: {
        adapters: { 'poem-lora': { model_group: 'llama', path: '/adapters/poem' } },
      },
    });
    await r.refreshLoraAdapters();
    expect(r.modelGroup('poem-lora')).toBeUndefined();
    await expect(ask(r, 'poem-lora')).rejects.toMatchObject({ status: 400, param: 'model' });
    expect(loads(list)).toEqual([0]);
  });

  it('loads an adapter nobody holds once, on the least-loaded replica, for concurrent requests', async () => {
    const list = await replicas([
      { lora: { allowRuntimeUpdating: true }, tokensPerSecond: 5 },
      { lora: { allowRuntimeUpdating: true } },
    ]);
    const r = router(list, {
      routing_strategy: 'least-busy',
      // Ties go to the first candidate: the held stream lands on r0.
      random: () => 0.99,
      lora_adapters: {
        load_on_demand: true,
        adapters: { 'poem-lora': { model_group: 'llama', path: '/adapters/poem' } },
      },
    });
    await r.refreshLoraAdapters();
    // r0 is busy with a slow stream; r1 is idle, so the load goes to r1.
    const busy = await holdStream(r, {
      model: 'llama',
      messages: [{ role: 'user', content: 'a long story' }],
      max_tokens: 50,
      stream: true,
    });
    expect(busy.deploymentId).toBe('r0');
    const answers = await Promise.all(Array.from({ length: 6 }, () => ask(r, 'poem-lora')));
    await busy.release();
    expect(answers.map(a => a.routing.deploymentId)).toEqual(Array(6).fill('r1'));
    expect(loads(list)).toEqual([0, 1]);
    const load = list[1]!.requests.entries.find(q => q.path === '/v1/load_lora_adapter')!;
    expect(load.body).toEqual({ lora_name: 'poem-lora', lora_path: '/adapters/poem' });
    const listed = (await (await fetch(`${list[1]!.url}/v1/models`)).json()) as {
      data: { id: string; parent: string | null }[];
    };
    expect(listed.data.find(c => c.id === 'poem-lora')?.parent).toBe(
      'meta-llama/Llama-3.1-8B-Instruct',
    );
  });

  it('answers 503 naming the adapter and the engine reason when a load is refused', async () => {
    const list = await replicas([
      { lora: { allowRuntimeUpdating: true, availablePaths: ['/adapters/sql'] } },
    ]);
    const r = router(list, {
      lora_adapters: {
        load_on_demand: true,
        adapters: { 'poem-lora': { model_group: 'llama', path: '/adapters/missing' } },
      },
    });
    await r.refreshLoraAdapters();
    const error = (await ask(r, 'poem-lora').then(
      () => undefined,
      e => e,
    )) as Error & { status: number };
    expect(error.status).toBe(503);
    expect(error.message).toContain('Could not load LoRA adapter poem-lora on deployment r0');
    expect(error.message).toContain('No adapter found for /adapters/missing');
    expect(loads(list)).toEqual([1]);
  });

  it('refuses a bad lora_adapters setting with a 400 naming the field', () => {
    const build = (lora_adapters: unknown) => () =>
      new Router({
        model_list: [
          {
            model_name: 'llama',
            litellm_params: { model: 'hosted_vllm/m', api_base: 'http://127.0.0.1:9/v1' },
          },
        ],
        invoke: vllmInvoke,
        lora_adapters: lora_adapters as never,
      });
    const cases: [unknown, string][] = [
      [
        { adapters: { x: { model_group: 'nope', path: '/x' } } },
        'lora_adapters.adapters.x.model_group',
      ],
      [{ adapters: { x: { model_group: 'llama' } } }, 'lora_adapters.adapters.x.path'],
      [{ load_on_demand: 'sometimes' }, 'lora_adapters.load_on_demand'],
      [{ refresh_intervl: 5 }, 'lora_adapters.refresh_intervl'],
    ];
    for (const [setting, param] of cases) {
      expect(build(setting)).toThrow(expect.objectContaining({ status: 400, param }));
    }
  });

  it('with kv-aware, an adapter conversation follows its own blocks', async () => {
    const list = await replicas(
      Array.from({ length: 3 }, () => ({
        prefixCache: { blockSize: 4, blocks: 4096 },
        kvEvents: true,
        enablePromptTokensDetails: true,
        lora: { modules: [{ name: 'sql-lora', path: '/adapters/sql' }] },
      })),
    );
    const r = router(
      list,
      {
        routing_strategy: 'kv-aware',
        routing_strategy_args: { block_size: 4, poll_interval: 30 },
        lora_adapters: {},
      },
      true,
    );
    const kv = r.strategy as KvAwareStrategy;
    expect(await kv.ready()).toBeUndefined();
    await r.refreshLoraAdapters();
    const messages = [
      { role: 'system' as const, content: words(40, 'sys-') },
      { role: 'user' as const, content: words(30, 'q1-') },
    ];
    const first = await r.completion({ model: 'sql-lora', messages, max_tokens: 4 });
    const owner = first.routing.deploymentId!;
    await kv.settle();
    const deadline = Date.now() + 20_000;
    while (kv.predictCachedTokens('llama', { messages }, owner, 'sql-lora') === 0) {
      if (Date.now() > deadline) throw new Error('adapter blocks never indexed');
      await new Promise(resolve => setImmediate(resolve));
    }
    // Indexed under the adapter only: the base model holds none of these blocks.
    expect(kv.predictCachedTokens('llama', { messages }, owner)).toBe(0);
    for (let i = 0; i < 4; i++) {
      const again = await r.completion({ model: 'sql-lora', messages, max_tokens: 4 });
      expect(again.routing.deploymentId).toBe(owner);
      const usage = again.data.usage as { prompt_tokens_details: { cached_tokens: number } };
      expect(usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    }
  });
});
