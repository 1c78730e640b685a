import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadAwareStrategy, Router } from '../src/index';
import { holdStream, scrape, words } from './engine-helpers';
import { deploymentFor, vllmInvoke } from './helpers';

const emus: VllmEmulator[] = [];
const routers: Router[] = [];
const clients: AbortController[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.abort();
  await Promise.all(routers.splice(0).map(r => r.close()));
  await Promise.all(emus.splice(0).map(e => e.close()));
});

async function start(count: number, options = {}) {
  const list = await Promise.all(Array.from({ length: count }, () => startVllmEmulator(options)));
  emus.push(...list);
  return list;
}

function router(
  model_list: ReturnType<typeof deploymentFor>[],
  extra: Record<string, unknown> = {},
) {
  const r = new Router({
    model_list,
    invoke: vllmInvoke,
    routing_strategy: 'load-aware',
    routing_strategy_args: { poll_interval: 30 },
    ...extra,
  });
  routers.push(r);
  return r;
}

/** Sends a streaming request straight to an emulator; a running one is awaited until its first chunk. */
async function occupy(emu: VllmEmulator, queued: boolean): Promise<void> {
  const controller = new AbortController();
  clients.push(controller);
  const res = fetch(`${emu.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: emu.model,
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    }),
    signal: controller.signal,
  }).catch(() => undefined);
  if (!queued) await (await res)!.body!.getReader().read();
}

/** Scrapes an emulator (real requests, no timer) until it reports `waiting` queued requests. */
async function untilWaiting(emu: VllmEmulator, waiting: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await scrape(emu))['vllm:num_requests_waiting'] === waiting) return;
  }
  throw new Error(`the emulator never reported ${waiting} waiting`);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

describe('load-aware', () => {
  it('picks the replica its engine reports least loaded, from /metrics', async () => {
    const [a, b, c] = await start(3, { maxNumSeqs: 1, ttftMs: 60_000 });
    const r = router([
      deploymentFor(a!, 'g', 'a'),
      deploymentFor(b!, 'g', 'b'),
      deploymentFor(c!, 'g', 'c'),
    ]);
    const strategy = r.strategy as LoadAwareStrategy;
    // a: one running and two waiting; b: one running; c: idle. None of it went through the router.
    await occupy(a!, false);
    await occupy(a!, true);
    await occupy(a!, true);
    await occupy(b!, false);
    await untilWaiting(a!, 2);
    await strategy.refresh();
    expect(strategy.engineLoad('a')).toMatchObject({ running: 1, waiting: 2 });
    expect(strategy.engineLoad('b')).toMatchObject({ running: 1, waiting: 0 });
    expect(strategy.engineLoad('c')).toMatchObject({ running: 0, waiting: 0 });
    expect((await r.pickDeployment('g')).id).toBe('c');
    // Picks count until the next sample: c now scores 1, b 1 + KV usage, a 3 + KV usage.
    expect((await r.pickDeployment('g')).id).toBe('c');
    expect((await r.pickDeployment('g')).id).not.toBe('a');
  });

  it('polls in the background on its own', async () => {
    const [a, b] = await start(2, { maxNumSeqs: 1, ttftMs: 60_000 });
    // Generous poll deadline and staleness: on a loaded machine one scrape can take longer
    // than the 50 ms interval (the defaults derived from it), dropping the sample.
    const r = router([deploymentFor(a!, 'g', 'a'), deploymentFor(b!, 'g', 'b')], {
      routing_strategy_args: { poll_interval: 0.05, metrics_timeout: 10, stale_after: 60 },
    });
    await occupy(a!, false);
    const strategy = r.strategy as LoadAwareStrategy;
    const seen = await a!.requests.waitFor(e => e.path === '/metrics' && e.status === 200, {
      timeoutMs: 5_000,
    });
    expect(seen.method).toBe('GET');
    await strategy.refresh();
    expect((await r.pickDeployment('g')).id).toBe('b');
  });

  it('degrades to in-flight counts when /metrics is unreachable, without an error', async () => {
    const [a, b] = await start(2);
    const port = await closedPort();
    const r = router([
      deploymentFor(a!, 'g', 'a', {}, { metrics_url: `http://127.0.0.1:${port}/metrics` }),
      deploymentFor(b!, 'g', 'b', {}, { metrics_url: `http://127.0.0.1:${port}/metrics` }),
    ]);
    const strategy = r.strategy as LoadAwareStrategy;
    await strategy.refresh();
    expect(strategy.engineLoad('a')).toBeUndefined();
    const held = await holdStream(r, {
      model: 'g',
      messages: [{ role: 'user', content: words(5, 'w') }],
    });
    const next = await r.completion({
      model: 'g',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 2,
    });
    expect(next.routing.deploymentId).not.toBe(held.deploymentId);
    await held.release();
  });

  it('reads the metrics URL from model_info and checks it', () => {
    expect(
      () =>
        new Router({
          model_list: [
            {
              model_name: 'g',
              litellm_params: { model: 'hosted_vllm/m', api_base: 'http://h/v1' },
              model_info: { id: 'x', metrics_url: 'ftp://nope' },
            },
          ],
          invoke: vllmInvoke,
          routing_strategy: 'load-aware',
        }),
    ).toThrow(/model_info\.metrics_url of deployment x: expected an http\(s\) URL/);
    expect(
      () =>
        new Router({
          model_list: [],
          invoke: vllmInvoke,
          routing_strategy: 'load-aware',
          routing_strategy_args: { poll_interval: 'often' },
        }),
    ).toThrow(/routing_strategy_args\.poll_interval: expected a number >= 0.01/);
  });
});

describe('several routers on one Redis', () => {
  it('agree on session placement and on prefix ownership', async () => {
    const list = await start(4, { prefixCache: true });
    const prefix = `test:${randomUUID()}:`;
    const make = (routing_strategy: 'session-affinity' | 'prefix-affinity') =>
      new Router({
        model_list: list.map((e, i) => deploymentFor(e, 'g', `d${i}`)),
        invoke: vllmInvoke,
        routing_strategy,
        redis_host: '127.0.0.1',
        redis_port: 6379,
        redis_key_prefix: prefix,
      });
    const [s1, s2, p1, p2] = [
      make('session-affinity'),
      make('session-affinity'),
      make('prefix-affinity'),
      make('prefix-affinity'),
    ];
    routers.push(s1, s2, p1, p2);
    for (let i = 0; i < 50; i++) {
      const opts = { headers: { 'x-session-id': `s${i}` } };
      expect((await s1.pickDeployment('g', { model: 'g' }, opts)).id).toBe(
        (await s2.pickDeployment('g', { model: 'g' }, opts)).id,
      );
    }
    // Turn 1 through one instance, turn 2 through the other: the second follows the first.
    for (let c = 0; c < 6; c++) {
      const messages = [{ role: 'user' as const, content: words(100, `redis-conv${c}-`) }];
      const one = await p1.completion({ model: 'g', messages, max_tokens: 4 });
      const next = [
        ...messages,
        { role: 'assistant' as const, content: one.data.choices[0]!.message.content! },
        { role: 'user' as const, content: 'and then?' },
      ];
      const two = await p2.completion({ model: 'g', messages: next, max_tokens: 4 });
      expect(two.routing.deploymentId).toBe(one.routing.deploymentId);
    }
  });
});
