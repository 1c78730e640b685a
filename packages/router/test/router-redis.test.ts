import { randomUUID } from 'node:crypto';
import { RateLimitError } from '@switchyard/core';
import type { VllmEmulator } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRouterState, Router } from '../src/index';
import { chatCalls, deploymentFor, hello, startEmulators, vllmInvoke } from './helpers';

let emus: VllmEmulator[];
const routers: Router[] = [];
const NOW = 28_333_334 * 60_000 + 30_000;

beforeAll(async () => {
  emus = await startEmulators(2);
});
afterAll(async () => {
  await Promise.all(emus.map(e => e.close()));
});
afterEach(async () => {
  await Promise.all(routers.splice(0).map(r => r.close()));
  for (const e of emus) {
    e.clearFaults();
    e.requests.clear();
  }
});

/** Two routers, as two proxy processes would be: same config, same Redis, same key prefix. */
function twoRouters(
  extra: Record<string, unknown>,
  list = emus.map((e, i) => deploymentFor(e, 'g', `d${i}`, { order: i })),
) {
  const prefix = `test:${randomUUID()}:`;
  const make = () =>
    new Router({
      model_list: list,
      invoke: vllmInvoke,
      redis_host: '127.0.0.1',
      redis_port: 6379,
      redis_key_prefix: prefix,
      ...extra,
    });
  const pair = [make(), make()] as const;
  routers.push(...pair);
  return pair;
}

describe('state shared through Redis', () => {
  it('a cooldown set by one router is seen by the other', async () => {
    const [a, b] = twoRouters({ cooldown_time: 60 });
    emus[0]!.inject({ status: 429 });
    const res = await a.completion(hello('g'));
    expect(res.routing.attempts.map(x => x.deploymentId)).toEqual(['d0', 'd1']);
    // b never saw d0 fail, yet skips it although d0 has the lower order.
    for (let i = 0; i < 3; i++)
      expect((await b.completion(hello('g'))).routing.deploymentId).toBe('d1');
    expect(chatCalls(emus[0]!)).toBe(1);
    // Ending it on one router ends it for both.
    await a.clearCooldown('d0');
    expect((await b.completion(hello('g'))).routing.deploymentId).toBe('d0');
  });

  it('a shared rpm limit of N admits N requests across routers, not 2N', async () => {
    const [a, b] = twoRouters({ clock: () => NOW }, [
      deploymentFor(emus[0]!, 'g', 'only', { rpm: 5 }),
    ]);
    const calls = Array.from({ length: 10 }, (_, i) =>
      (i % 2 === 0 ? a : b).completion(hello('g')),
    );
    const results = await Promise.allSettled(calls);
    const ok = results.filter(r => r.status === 'fulfilled');
    const refused = results
      .filter(r => r.status === 'rejected')
      .map(r => (r as PromiseRejectedResult).reason);
    expect(ok).toHaveLength(5);
    expect(refused.every(e => RateLimitError.isInstance(e))).toBe(true);
    expect(chatCalls(emus[0]!)).toBe(5);
  });

  it('deployment ids are the same on every instance, so the shared keys line up', async () => {
    const list = emus.map(e => ({
      model_name: 'g',
      litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: `${e.url}/v1` },
    }));
    const [a, b] = twoRouters({}, list);
    expect(a.deployments().map(d => d.id)).toEqual(b.deployments().map(d => d.id));
    expect(a.deployments()[0]!.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('re-cooling in Redis keeps the later deadline; failures under allowed_fails do not cool', async () => {
    const prefix = `test:${randomUUID()}:`;
    const state = new RedisRouterState({ keyPrefix: prefix });
    const client = new Redis({ host: '127.0.0.1', port: 6379 });
    try {
      const now = Date.now();
      const long = await state.recordFailure({
        id: 'x',
        now,
        allowedFails: 0,
        immediate: true,
        cooldownMs: 30_000,
      });
      expect(long.cooldownUntil).toBe(now + 30_000);
      const short = await state.recordFailure({
        id: 'x',
        now,
        allowedFails: 0,
        immediate: true,
        cooldownMs: 1_000,
      });
      expect(short.cooldownUntil).toBe(now + 30_000);
      expect(Number(await client.pttl(`${prefix}cooldown:x`))).toBeGreaterThan(25_000);
      const soft = await state.recordFailure({
        id: 'y',
        now,
        allowedFails: 2,
        immediate: false,
        cooldownMs: 5_000,
      });
      expect(soft).toEqual({ failures: 1, cooldownUntil: undefined });
      const [x, y] = await state.snapshot({
        ids: ['x', 'y'],
        now,
        usage: true,
        inFlight: true,
        latency: true,
      });
      expect(x!.cooldownUntil).toBe(now + 30_000);
      expect(y!.cooldownUntil).toBe(0);
      await state.recordLatency({ id: 'y', ms: 10 });
      await state.recordLatency({ id: 'y', ms: 30 });
      await state.changeInFlight('y', 1);
      await state.recordTokens({ id: 'y', now, tokens: 42 });
      const [, y2] = await state.snapshot({
        ids: ['x', 'y'],
        now,
        usage: true,
        inFlight: true,
        latency: true,
      });
      expect(y2).toEqual({ cooldownUntil: 0, rpm: 0, tpm: 42, inFlight: 1, latencyMs: 20 });
    } finally {
      await state.close();
      client.disconnect();
    }
  });
});

describe('Redis unavailable', () => {
  it('routes on in-process state instead of failing, without waiting on the connection', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'g', 'd0', { order: 0 }),
        deploymentFor(emus[1]!, 'g', 'd1', { order: 1 }),
      ],
      invoke: vllmInvoke,
      redis_host: '127.0.0.1',
      redis_port: 9,
      num_retries: 0,
      allowed_fails: 0,
    });
    routers.push(router);
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d0');
    expect((router.state as RedisRouterState).offline).toBe(true);
    expect(chatCalls(emus[0]!)).toBe(1);
    // A failure still cools the deployment down, in this process's memory.
    emus[0]!.inject({ status: 500 });
    await router.completion(hello('g')).catch(() => {});
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    expect(chatCalls(emus[1]!)).toBe(1);
  });
});
