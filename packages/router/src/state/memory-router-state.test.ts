import { describe, expect, it } from 'vitest';
import { MemoryRouterState } from './memory-router-state';

const T = 28_333_334 * 60_000; // start of a minute
const query = (ids: string[], now: number) => ({
  ids,
  now,
  usage: true,
  inFlight: true,
  latency: true,
});

describe('MemoryRouterState', () => {
  it('cools after allowed_fails failures in a minute, and the count resets with the minute', async () => {
    const s = new MemoryRouterState();
    const base = { id: 'd', allowedFails: 1, immediate: false, cooldownMs: 5_000 };
    expect(await s.recordFailure({ ...base, now: T })).toEqual({
      failures: 1,
      cooldownUntil: undefined,
    });
    expect(await s.recordFailure({ ...base, now: T + 59_000 })).toEqual({
      failures: 0,
      cooldownUntil: T + 59_000 + 5_000,
    });
    expect(await s.recordFailure({ ...base, now: T + 61_000 })).toEqual({
      failures: 1,
      cooldownUntil: undefined,
    });
  });

  it('keeps the later cooldown deadline and forgets it when cleared', async () => {
    const s = new MemoryRouterState();
    await s.recordFailure({
      id: 'd',
      now: T,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 30_000,
    });
    const again = await s.recordFailure({
      id: 'd',
      now: T + 1,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 10,
    });
    expect(again.cooldownUntil).toBe(T + 30_000);
    expect((await s.snapshot(query(['d'], T + 29_999)))[0]!.cooldownUntil).toBe(T + 30_000);
    expect((await s.snapshot(query(['d'], T + 30_000)))[0]!.cooldownUntil).toBe(0);
    await s.recordFailure({
      id: 'd',
      now: T,
      allowedFails: 0,
      immediate: true,
      cooldownMs: 30_000,
    });
    await s.clearCooldown('d');
    expect((await s.snapshot(query(['d'], T)))[0]!.cooldownUntil).toBe(0);
  });

  it('admits exactly rpmLimit requests per minute', async () => {
    const s = new MemoryRouterState();
    const admitted = [];
    for (let i = 0; i < 5; i++)
      admitted.push(await s.acquireRequest({ id: 'd', now: T + i, rpmLimit: 3 }));
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(await s.acquireRequest({ id: 'd', now: T + 60_000, rpmLimit: 3 })).toBe(true);
  });

  it('keeps the last ten latencies and never counts in-flight below zero', async () => {
    const s = new MemoryRouterState();
    for (let i = 1; i <= 12; i++) await s.recordLatency({ id: 'd', ms: i });
    await s.changeInFlight('d', -1);
    await s.changeInFlight('d', 1);
    const [d] = await s.snapshot(query(['d'], T));
    expect(d!.latencyMs).toBe((3 + 12) / 2);
    expect(d!.inFlight).toBe(1);
  });
});
