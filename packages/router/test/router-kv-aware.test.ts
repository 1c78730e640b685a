/**
 * kv-aware routing against vLLM emulators that publish their prefix caches
 * as KV events: conversations and shared system prompts go where their
 * blocks are, the prediction matches what the engine then reports cached,
 * a restarted engine's part is dropped, and a replica without events is
 * scored by load alone without holding requests up.
 */
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type KvAwareStrategy, Router } from '../src/index';
import { words } from './engine-helpers';
import { deploymentFor, vllmInvoke } from './helpers';

const emus: VllmEmulator[] = [];
const routers: Router[] = [];
afterEach(async () => {
  await Promise.all(routers.splice(0).map(r => r.close()));
  await Promise.all(emus.splice(0).map(e => e.close()));
});

const BLOCK = 4;

async function emulator(extra: Parameters<typeof startVllmEmulator>[0] = {}) {
  const emu = await startVllmEmulator({
    prefixCache: { blockSize: BLOCK, blocks: 4096 },
    kvEvents: true,
    enablePromptTokensDetails: true,
    ...extra,
  });
  emus.push(emu);
  return emu;
}

function router(list: VllmEmulator[], args: Record<string, unknown> = {}, extra: object[] = []) {
  const r = new Router({
    model_list: [
      ...list.map((e, i) =>
        deploymentFor(
          e,
          'g',
          `r${i}`,
          {},
          {
            kv_events: {
              endpoint: e.kvEvents!.endpoint,
              replay_endpoint: e.kvEvents!.replayEndpoint,
            },
          },
        ),
      ),
      ...(extra as ReturnType<typeof deploymentFor>[]),
    ],
    invoke: vllmInvoke,
    routing_strategy: 'kv-aware',
    routing_strategy_args: { block_size: BLOCK, poll_interval: 30, ...args },
  });
  routers.push(r);
  return { r, kv: r.strategy as KvAwareStrategy };
}

/** Waits (on the event loop, not a timer) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise(resolve => setImmediate(resolve));
  }
}

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

async function ask(r: Router, messages: Message[]) {
  const res = await r.completion({ model: 'g', messages, max_tokens: 6 });
  const usage = res.data.usage as { prompt_tokens_details?: { cached_tokens: number } };
  return {
    id: res.routing.deploymentId!,
    text: res.data.choices[0]!.message.content!,
    cached: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

describe('kv-aware', () => {
  it('follows a conversation to the replica holding it, never predicting more cache than the engine finds', async () => {
    const list = [await emulator(), await emulator(), await emulator()];
    const { r, kv } = router(list);
    expect(await kv.ready()).toBeUndefined();
    const messages: Message[] = [
      { role: 'system', content: words(40, 'sys-') },
      { role: 'user', content: words(30, 'q1-') },
    ];
    const first = await ask(r, messages);
    await kv.settle();
    await until(() => kv.indexedBlocks('g') > 0, 'events indexed');
    let last = first;
    for (let turn = 2; turn <= 4; turn++) {
      messages.push(
        { role: 'assistant', content: last.text },
        { role: 'user', content: words(20, `q${turn}-`) },
      );
      await kv.settle();
      await until(() => kv.predictCachedTokens('g', { messages }, first.id) > 0, 'prefix named');
      const predicted = kv.predictCachedTokens('g', { messages }, first.id);
      last = await ask(r, messages);
      expect(last.id).toBe(first.id);
      // The index never promises more than the engine then finds cached.
      expect(last.cached).toBeGreaterThanOrEqual(predicted);
    }
  });

  it('sends a new user with a known system prompt to the replica that cached it', async () => {
    const list = [await emulator(), await emulator(), await emulator()];
    const { r, kv } = router(list);
    await kv.ready();
    const system = { role: 'system' as const, content: words(60, 'shared-') };
    const owner = await ask(r, [system, { role: 'user', content: 'first user' }]);
    await kv.settle();
    await until(
      () =>
        kv.predictCachedTokens(
          'g',
          { messages: [system, { role: 'user', content: 'x' }] },
          owner.id,
        ) > 0,
      'system prompt named and indexed',
    );
    const other = await ask(r, [system, { role: 'user', content: 'a different user entirely' }]);
    expect(other.id).toBe(owner.id);
    expect(other.cached).toBeGreaterThanOrEqual(56);
  });

  it('keeps a prefix on its replica until that replica is blocks / load_weight (default 2) requests busier', async () => {
    const list = [await emulator(), await emulator()];
    const { r, kv } = router(list);
    await kv.ready();
    const messages: Message[] = [
      { role: 'system', content: words(40, 'held-') },
      { role: 'user', content: words(30, 'held-q-') },
    ];
    const owner = await ask(r, messages);
    await kv.settle();
    await until(() => kv.predictCachedTokens('g', { messages }, owner.id) > 0, 'prefix indexed');
    const blocks = kv.predictCachedTokens('g', { messages }, owner.id) / BLOCK;
    const byId = new Map(r.deployments().map(d => [d.id, d]));
    const other = owner.id === 'r0' ? 'r1' : 'r0';
    // In-flight counts set far above the picks noted since the last (30 s) poll,
    // so the load each candidate is scored with is exactly the one given here.
    const pickWith = (extra: number) => {
      const stats = (inFlight: number) => ({
        cooldownUntil: 0,
        rpm: 0,
        tpm: 0,
        inFlight,
        latencyMs: undefined,
      });
      const candidates = [
        { deployment: byId.get(owner.id)!, stats: stats(100 + extra) },
        { deployment: byId.get(other)!, stats: stats(100) },
      ];
      return kv.pick(candidates, { modelGroup: 'g', request: { messages }, random: () => 0 })
        .deployment.id;
    };
    expect(blocks).toBeGreaterThan(4);
    expect(pickWith(Math.floor((blocks - 1) / 2))).toBe(owner.id);
    expect(pickWith(Math.ceil((blocks + 1) / 2))).toBe(other);
  });

  it("drops a restarted engine's part of the index and rebuilds it from new events", async () => {
    const first = await emulator();
    const { r, kv } = router([first]);
    await kv.ready();
    const messages: Message[] = [{ role: 'user', content: words(40, 'restart-') }];
    await ask(r, messages);
    await kv.settle();
    await until(() => kv.predictCachedTokens('g', { messages }, 'r0') > 0, 'indexed');
    const { endpoint, replayEndpoint } = first.kvEvents!;
    const port = first.port;
    await first.close();
    emus.splice(emus.indexOf(first), 1);
    const second = await emulator({ port, kvEvents: { endpoint, replayEndpoint } });
    expect(second.port).toBe(port);
    // The new process's cache is empty: its first events reset the index part.
    await ask(r, [{ role: 'user', content: words(12, 'fresh-') }]);
    await until(() => kv.predictCachedTokens('g', { messages }, 'r0') === 0, 'forgotten');
    await ask(r, messages);
    await kv.settle();
    await until(() => kv.predictCachedTokens('g', { messages }, 'r0') > 0, 'rebuilt');
  });

  it('scores a replica whose events never come by load alone, without holding requests', async () => {
    const live = await emulator();
    const silent = await startVllmEmulator({ prefixCache: { blockSize: BLOCK } });
    emus.push(silent);
    const { r, kv } = router([live], { stale_after: 0.001, expire_after: 0.001 }, [
      deploymentFor(silent, 'g', 'silent', {}, { kv_events: { endpoint: 'tcp://127.0.0.1:9' } }),
    ]);
    await kv.ready();
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) seen.add((await ask(r, [{ role: 'user', content: `q${i}` }])).id);
    expect(seen).toEqual(new Set(['r0', 'silent']));
    expect(
      kv.predictCachedTokens('g', { messages: [{ role: 'user', content: 'q1' }] }, 'silent'),
    ).toBe(0);
  });

  it('refuses a malformed kv_events setting, naming it', () => {
    expect(
      () =>
        new Router({
          model_list: [
            {
              model_name: 'g',
              litellm_params: { model: 'hosted_vllm/m', api_base: 'http://127.0.0.1:1/v1' },
              model_info: { id: 'a', kv_events: { endpoint: 'localhost:5557' } },
            },
          ],
          invoke: vllmInvoke,
          routing_strategy: 'kv-aware',
        }),
    ).toThrow(/model_info\.kv_events of deployment a/);
  });
});
