import { RateLimitError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { Router, routingInfoOf } from '../src/index';
import { chatCalls, deploymentFor, hello, useEmulators, vllmInvoke } from './helpers';

const emus = useEmulators(3);

// A fixed clock 30 s into a minute, so the window cannot roll over mid-test.
const NOW = 28_333_334 * 60_000 + 30_000;

describe('rpm / tpm limits', () => {
  it('a deployment at its rpm limit is skipped; all at limit → RateLimitError with retry-after', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'g', 'a', { rpm: 2 }),
        deploymentFor(emus[1]!, 'g', 'b', { rpm: 3 }),
      ],
      invoke: vllmInvoke,
      clock: () => NOW,
    });
    for (let i = 0; i < 5; i++) await router.completion(hello('g'));
    expect(chatCalls(emus[0]!)).toBe(2);
    expect(chatCalls(emus[1]!)).toBe(3);
    const err = await router.completion(hello('g')).catch(e => e);
    expect(RateLimitError.isInstance(err)).toBe(true);
    expect(err.message).toContain('No deployments available for selected model');
    expect(err.retryAfterMs).toBe(30_000);
    expect(routingInfoOf(err)?.attempts).toEqual([]);
  });

  it('concurrent requests never exceed the limit', async () => {
    const router = new Router({
      model_list: [deploymentFor(emus[0]!, 'g', 'a', { rpm: 4 })],
      invoke: vllmInvoke,
      clock: () => NOW,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => router.completion(hello('g'))),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(4);
    expect(chatCalls(emus[0]!)).toBe(4);
  });

  it('tpm counts the tokens upstreams report and skips a deployment over its limit', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'g', 'a', { tpm: 30, order: 0 }),
        deploymentFor(emus[1]!, 'g', 'b', { order: 1 }),
      ],
      invoke: vllmInvoke,
      clock: () => NOW,
    });
    const used: number[] = [];
    let res = await router.completion(hello('g'));
    while (res.routing.deploymentId === 'a') {
      used.push(res.data.usage!.total_tokens);
      res = await router.completion(hello('g'));
    }
    // 'a' is chosen while its reported usage plus this prompt's estimate (2 tokens) fits in 30.
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    expect(used.length).toBeGreaterThan(0);
    expect(sum(used.slice(0, -1)) + 2).toBeLessThanOrEqual(30);
    expect(sum(used) + 2).toBeGreaterThan(30);
  });
});

describe('strategies', () => {
  it('least-busy sends a new request to the deployment with fewer in flight', async () => {
    const router = new Router({
      model_list: emus.slice(0, 2).map((e, i) => deploymentFor(e, 'g', `d${i}`)),
      invoke: vllmInvoke,
      routing_strategy: 'least-busy',
    });
    emus[0]!.inject({ delayMs: 400, times: 1 });
    emus[1]!.inject({ delayMs: 400, times: 1 });
    const first = router.completion(hello('g'));
    const busyEmu = await Promise.race(
      emus
        .slice(0, 2)
        .map((e, i) => e.requests.waitFor(x => x.path === '/v1/chat/completions').then(() => i)),
    );
    const second = await router.completion(hello('g'));
    expect(second.routing.deploymentId).toBe(`d${1 - busyEmu}`);
    expect((await first).routing.deploymentId).toBe(`d${busyEmu}`);
  });

  it('latency-based routing prefers the faster deployment once both are measured', async () => {
    const router = new Router({
      model_list: emus.slice(0, 2).map((e, i) => deploymentFor(e, 'g', `d${i}`)),
      invoke: vllmInvoke,
      routing_strategy: 'latency-based-routing',
    });
    emus[0]!.inject({ delayMs: 150, times: 100 });
    // Unmeasured deployments go first, so both get sampled.
    const firstTwo = [await router.completion(hello('g')), await router.completion(hello('g'))];
    expect(new Set(firstTwo.map(r => r.routing.deploymentId))).toEqual(new Set(['d0', 'd1']));
    for (let i = 0; i < 5; i++)
      expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
  });

  it('usage-based routing spreads by tokens used this minute', async () => {
    const router = new Router({
      model_list: emus.slice(0, 2).map((e, i) => deploymentFor(e, 'g', `d${i}`)),
      invoke: vllmInvoke,
      routing_strategy: 'usage-based-routing-v2',
      clock: () => NOW,
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push((await router.completion(hello('g'))).routing.deploymentId!);
    expect(ids.filter(id => id === 'd0').length).toBe(3);
  });

  it('accepts a custom strategy object', async () => {
    const router = new Router({
      model_list: emus.map((e, i) => deploymentFor(e, 'g', `d${i}`)),
      invoke: vllmInvoke,
      routing_strategy: { name: 'last', pick: candidates => candidates[candidates.length - 1]! },
    });
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d2');
  });
});
