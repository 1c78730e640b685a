import { ServiceUnavailableError } from '@switchyard/core';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Router, routingInfoOf } from '../src/index';
import { chatCalls, deploymentFor, hello, startEmulators, vllmInvoke } from './helpers';

let emus: VllmEmulator[];
let small: VllmEmulator;

beforeAll(async () => {
  emus = await startEmulators(3);
  small = await startVllmEmulator({ maxModelLen: 24 });
});
afterAll(async () => {
  await Promise.all([...emus, small].map(e => e.close()));
});
afterEach(() => {
  for (const e of [...emus, small]) {
    e.clearFaults();
    e.requests.clear();
  }
});

/** Groups a, b, c, one emulator each. */
function groups(extra: Record<string, unknown>) {
  return new Router({
    model_list: [
      deploymentFor(emus[0]!, 'a', 'a0'),
      deploymentFor(emus[1]!, 'b', 'b0'),
      deploymentFor(emus[2]!, 'c', 'c0'),
    ],
    invoke: vllmInvoke,
    num_retries: 0,
    ...extra,
  });
}

describe('fallbacks', () => {
  it('falls back to the next group and reports it', async () => {
    const router = groups({ fallbacks: [{ a: ['b'] }] });
    emus[0]!.inject({ status: 503 });
    const res = await router.completion(hello('a'));
    expect(res.routing.modelGroup).toBe('b');
    expect(res.routing.deploymentId).toBe('b0');
    expect(res.routing.attemptedFallbacks).toBe(1);
    expect(res.routing.requestedModel).toBe('a');
  });

  it('goes straight to fallbacks on a 400, without retrying', async () => {
    const router = groups({ num_retries: 3, fallbacks: [{ a: ['b'] }] });
    emus[0]!.inject({ status: 400 });
    const res = await router.completion(hello('a'));
    expect(res.routing.modelGroup).toBe('b');
    expect(chatCalls(emus[0]!)).toBe(1);
  });

  it('terminates a fallback cycle: each group is tried once', async () => {
    const router = groups({
      num_retries: 1,
      fallbacks: [{ a: ['b'] }, { b: ['a', 'c'] }, { c: ['a', 'b'] }],
    });
    for (const e of emus) e.inject({ status: 503, retryAfter: 0, times: 10 });
    const err = await router.completion(hello('a')).catch(e => e);
    expect(ServiceUnavailableError.isInstance(err)).toBe(true);
    const info = routingInfoOf(err)!;
    // Two attempts (1 retry) in each of the three groups, and nothing more.
    expect(info.attempts.map(a => a.modelGroup)).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(info.attemptedFallbacks).toBe(2);
    expect(emus.map(chatCalls)).toEqual([2, 2, 2]);
  });

  it('uses default_fallbacks for groups without an entry, and max_fallbacks caps the chain', async () => {
    const router = groups({ default_fallbacks: ['b', 'c'], max_fallbacks: 1 });
    emus[0]!.inject({ status: 503 });
    emus[1]!.inject({ status: 503 });
    const err = await router.completion(hello('a')).catch(e => e);
    expect(routingInfoOf(err)!.attempts.map(a => a.modelGroup)).toEqual(['a', 'b']);
    expect(chatCalls(emus[2]!)).toBe(0);
  });

  it('per-request fallbacks replace the configured ones; disable_fallbacks turns them off', async () => {
    const router = groups({ fallbacks: [{ a: ['b'] }] });
    emus[0]!.inject({ status: 503, times: 2 });
    const res = await router.completion({ ...hello('a'), fallbacks: ['c'] });
    expect(res.routing.modelGroup).toBe('c');
    const err = await router.completion(hello('a'), { disable_fallbacks: true }).catch(e => e);
    expect(ServiceUnavailableError.isInstance(err)).toBe(true);
    expect(chatCalls(emus[1]!)).toBe(0);
  });

  it('a client-side fallback object overrides request fields for its hop', async () => {
    const router = groups({});
    emus[0]!.inject({ status: 503 });
    await router.completion({ ...hello('a'), fallbacks: [{ model: 'b', max_tokens: 2 }] });
    const sent = emus[1]!.requests.entries.find(e => e.path === '/v1/chat/completions')!
      .body as Record<string, unknown>;
    expect(sent.max_tokens).toBe(2);
    expect(sent.fallbacks).toBeUndefined();
    expect(sent.model).toBe(emus[1]!.model);
  });

  it('context_window_fallbacks: a prompt too long for a group goes to the larger one', async () => {
    const router = new Router({
      model_list: [
        {
          model_name: 'short',
          litellm_params: { model: `hosted_vllm/${small.model}`, api_base: small.url },
          model_info: { id: 's0' },
        },
        deploymentFor(emus[0]!, 'long', 'l0'),
        deploymentFor(emus[1]!, 'other', 'o0'),
      ],
      invoke: vllmInvoke,
      num_retries: 2,
      fallbacks: [{ short: ['other'] }],
      context_window_fallbacks: [{ short: ['long'] }],
    });
    const long = {
      ...hello('short'),
      messages: [{ role: 'user' as const, content: 'word '.repeat(200) }],
    };
    const res = await router.completion(long);
    expect(res.routing.modelGroup).toBe('long');
    // Not retried on the small deployment.
    expect(chatCalls(small)).toBe(1);
    expect(chatCalls(emus[1]!)).toBe(0);
    expect(res.routing.attempts[0]?.error?.name).toBe('ContextWindowExceededError');
  });

  it('pre-call checks skip a deployment whose max_input_tokens the prompt exceeds', async () => {
    const router = new Router({
      model_list: [
        deploymentFor(emus[0]!, 'g', 'tiny', {}, { max_input_tokens: 10 }),
        deploymentFor(emus[1]!, 'g', 'big', {}, { max_input_tokens: 10_000 }),
        deploymentFor(emus[2]!, 'wide', 'w0'),
      ],
      invoke: vllmInvoke,
      enable_pre_call_checks: true,
      context_window_fallbacks: [{ g: ['wide'] }],
    });
    const prompt = (chars: number) => ({
      ...hello('g'),
      messages: [{ role: 'user' as const, content: 'x'.repeat(chars) }],
    });
    for (let i = 0; i < 6; i++)
      expect((await router.completion(prompt(400))).routing.deploymentId).toBe('big');
    expect(chatCalls(emus[0]!)).toBe(0);
    // Larger than every deployment: no call is made in the group, the context-window fallback takes it.
    const res = await router.completion(prompt(400_000));
    expect(res.routing.modelGroup).toBe('wide');
    expect(chatCalls(emus[1]!)).toBe(6);
  });
});
