import { RateLimitError, ServiceUnavailableError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { Router, routingInfoOf } from '../src/index';
import { chatCalls, deploymentFor, hello, useEmulators, vllmInvoke } from './helpers';

const emus = useEmulators(3);

/** A router whose clock the test moves by hand. */
function clocked(extra: Record<string, unknown>, count = 2) {
  const clock = { now: 1_700_000_000_000 };
  const router = new Router({
    model_list: emus.slice(0, count).map((e, i) => deploymentFor(e, 'g', `d${i}`, { order: i })),
    invoke: vllmInvoke,
    clock: () => clock.now,
    ...extra,
  });
  return { router, clock };
}

describe('cooldowns', () => {
  it('a 429 in a multi-deployment group cools that deployment at once, for retry-after seconds', async () => {
    const { router, clock } = clocked({ num_retries: 1 });
    emus[0]!.inject({ status: 429, retryAfter: 7 });
    const first = (await router.completion(hello('g'))).routing;
    expect(first.deploymentId).toBe('d1');
    // The failed attempt says it put d0 in cooldown, and until when.
    expect(first.attempts.map(a => a.cooldownUntil)).toEqual([clock.now + 7_000, undefined]);
    // d0 has the lower order, but it is cooling down.
    for (let i = 0; i < 3; i++)
      expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    clock.now += 7_001;
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d0');
  });

  it('5xx failures cool a deployment once they exceed allowed_fails in a minute', async () => {
    const { router, clock } = clocked({ num_retries: 1, allowed_fails: 1, cooldown_time: 60 });
    emus[0]!.inject({ status: 500, times: 2 });
    const counted = (await router.completion(hello('g'))).routing.attempts[0]!;
    expect(counted.error?.status).toBe(500);
    expect(counted).not.toHaveProperty('cooldownUntil');
    // One failure is allowed: d0 is still first choice…
    const cooled = (await router.completion(hello('g'))).routing.attempts[0]!;
    expect(cooled.cooldownUntil).toBe(clock.now + 60_000);
    expect(chatCalls(emus[0]!)).toBe(2);
    // …the second failure cooled it.
    for (let i = 0; i < 3; i++)
      expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    expect(chatCalls(emus[0]!)).toBe(2);
  });

  it('connection errors count: a dead host leaves the rotation', async () => {
    const dead = {
      model_name: 'g',
      litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: 'http://127.0.0.1:9/v1' },
      model_info: { id: 'dead', order: 0 },
    };
    const router = new Router({
      model_list: [
        { ...dead, litellm_params: { ...dead.litellm_params, order: 0 } },
        deploymentFor(emus[1]!, 'g', 'live', { order: 1 }),
      ],
      invoke: vllmInvoke,
      allowed_fails: 0,
    });
    const first = await router.completion(hello('g'));
    expect(first.routing.attempts.map(a => a.error?.name)).toEqual([
      'APIConnectionError',
      undefined,
    ]);
    const second = await router.completion(hello('g'));
    expect(second.routing.attempts).toHaveLength(1);
    expect(second.routing.deploymentId).toBe('live');
  });

  it('re-cooling keeps the later deadline', async () => {
    const { router, clock } = clocked({ num_retries: 0, fallbacks: [] });
    emus[0]!.inject({ status: 429, retryAfter: 30 });
    await router.completion(hello('g')).catch(() => {});
    // A shorter cooldown on top must not cut the 30 s one short.
    await router.state.recordFailure({
      id: 'd0',
      now: clock.now,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 1_000,
    });
    clock.now += 5_000;
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    clock.now += 26_000;
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d0');
  });

  it('a deployment-level cooldown_time of 0 never cools it', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'g', 'd0', { order: 0, cooldown_time: 0 }),
        deploymentFor(emus[1]!, 'g', 'd1', { order: 1 }),
      ],
      invoke: vllmInvoke,
    });
    emus[0]!.inject({ status: 429 });
    await router.completion(hello('g'));
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d0');
  });

  it('the only deployment of a group is never cooled: callers see the upstream error', async () => {
    const router = new Router({
      model_list: [deploymentFor(emus[0]!, 'solo', 's')],
      invoke: vllmInvoke,
      num_retries: 0,
    });
    emus[0]!.inject({ status: 503, times: 5 });
    for (let i = 0; i < 5; i++) {
      const err = await router.completion(hello('solo')).catch(e => e);
      expect(ServiceUnavailableError.isInstance(err)).toBe(true);
    }
    expect(chatCalls(emus[0]!)).toBe(5);
    expect((await router.completion(hello('solo'))).routing.deploymentId).toBe('s');
  });

  it('a request addressed to a cooling deployment by id probes it; success ends the cooldown', async () => {
    const { router } = clocked({ num_retries: 1, cooldown_time: 600 });
    emus[0]!.inject({ status: 503 });
    await router.state.recordFailure({
      id: 'd0',
      now: 1_700_000_000_000,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 600_000,
    });
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    // The probe fails: still cooling.
    await router.completion(hello('d0'), { num_retries: 0 }).catch(() => {});
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d1');
    // The probe succeeds: back in rotation.
    expect((await router.completion(hello('d0'))).routing.deploymentId).toBe('d0');
    expect((await router.completion(hello('g'))).routing.deploymentId).toBe('d0');
  });

  it('all cooled down: RateLimitError with retry-after until the first cooldown ends, then fallbacks', async () => {
    const { router, clock } = clocked({
      fallbacks: [{ g: ['spare'] }],
      model_list: [
        deploymentFor(emus[0]!, 'g', 'd0'),
        deploymentFor(emus[1]!, 'g', 'd1'),
        deploymentFor(emus[2]!, 'spare', 'sp'),
      ],
    });
    await router.state.recordFailure({
      id: 'd0',
      now: clock.now,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 20_000,
    });
    await router.state.recordFailure({
      id: 'd1',
      now: clock.now,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 8_000,
    });
    const res = await router.completion(hello('g'));
    expect(res.routing.modelGroup).toBe('spare');
    const err = await router.completion(hello('g'), { disable_fallbacks: true }).catch(e => e);
    expect(RateLimitError.isInstance(err)).toBe(true);
    expect(err.retryAfterMs).toBe(8_000);
    expect(err.message).toContain('cooldown_list=["d0","d1"]');
    expect(routingInfoOf(err)?.attempts).toEqual([]);
  });
});
