import { describe, expect, it } from 'vitest';
import { LIVE_WINDOW_S, LiveStats } from './live-stats';
import { bucketOf, bucketUpperMs, quantileOf } from './log-buckets';
import { RequestRing } from './request-ring';

const T0 = 1_700_000_000_000;

function statsAt(clock: { now: number }) {
  return new LiveStats(() => clock.now);
}

const sample = (over: Partial<Parameters<LiveStats['record']>[0]> = {}) => ({
  group: 'chat',
  failed: false,
  totalMs: 100,
  ttftMs: undefined,
  outputTokens: 0,
  ...over,
});

describe('LiveStats', () => {
  it('sums requests, errors and tokens per step and per group, leaving out the current second', () => {
    const clock = { now: T0 };
    const stats = statsAt(clock);
    stats.record(sample({ outputTokens: 7 }));
    stats.record(sample({ failed: true }));
    clock.now += 1000;
    stats.record(sample({ group: 'embed', outputTokens: 0 }));
    clock.now += 1000;
    stats.record(sample()); // in the current second: not yet shown
    const s = stats.series(4, 2);
    expect(s.stepS).toBe(2);
    expect(s.total.map(p => p.requests)).toEqual([0, 3]);
    expect(s.total[1]).toMatchObject({ errors: 1, outputTokens: 7 });
    expect(s.groups.chat!.map(p => p.requests)).toEqual([0, 2]);
    expect(s.groups.embed!.map(p => p.requests)).toEqual([0, 1]);
    expect(s.from + 4).toBe(Math.floor(clock.now / 1000));
  });

  it('reads latency and time-to-first-token percentiles within a bucket of the truth', () => {
    const clock = { now: T0 };
    const stats = statsAt(clock);
    for (let ms = 1; ms <= 100; ms++) stats.record(sample({ totalMs: ms, ttftMs: ms / 10 }));
    clock.now += 1000;
    const [point] = stats.series(1, 1).total;
    // The true p50 is 50 ms and p95 95 ms; a bucket is 2^(1/4) ≈ 19% wide.
    expect(point!.p50Ms).toBeGreaterThanOrEqual(50);
    expect(point!.p50Ms).toBeLessThan(50 * 1.19);
    expect(point!.p95Ms).toBeGreaterThanOrEqual(95);
    expect(point!.p95Ms).toBeLessThan(95 * 1.19);
    expect(point!.ttftP50Ms).toBeGreaterThanOrEqual(5);
    expect(point!.ttftP50Ms).toBeLessThan(5 * 1.19);
  });

  it('forgets a second once the window has moved past it, without growing', () => {
    const clock = { now: T0 };
    const stats = statsAt(clock);
    stats.record(sample());
    clock.now += (LIVE_WINDOW_S + 1) * 1000; // the same slot, a later second
    stats.record(sample({ failed: true }));
    clock.now += 1000;
    const all = stats.series(LIVE_WINDOW_S, 1).total;
    expect(all.reduce((n, p) => n + p.requests, 0)).toBe(1);
    expect(all.reduce((n, p) => n + p.errors, 0)).toBe(1);
  });

  it('answers null percentiles for a step without requests', () => {
    const stats = statsAt({ now: T0 });
    const [point] = stats.series(5, 5).total;
    expect(point).toMatchObject({ requests: 0, p50Ms: null, p95Ms: null, ttftP50Ms: null });
  });
});

describe('log buckets', () => {
  it('puts every duration in a bucket whose upper bound is at least it and under 19% above', () => {
    for (const ms of [1.5, 3, 10, 99.9, 1234, 60_000]) {
      const upper = bucketUpperMs(bucketOf(ms));
      expect(upper).toBeGreaterThanOrEqual(ms);
      expect(upper / ms).toBeLessThan(1.19);
    }
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(1e12)).toBe(bucketOf(1e13));
  });

  it('has no quantile for no samples', () => {
    expect(quantileOf(new Uint32Array(100), 0.5)).toBeUndefined();
  });
});

describe('RequestRing', () => {
  it('keeps the newest entries, newest first, and never more than its size', () => {
    const ring = new RequestRing(3);
    for (let i = 1; i <= 5; i++) ring.push({ callId: String(i) } as never);
    expect(ring.latest(10).map(r => r.callId)).toEqual(['5', '4', '3']);
    expect(ring.latest(2).map(r => r.callId)).toEqual(['5', '4']);
  });
});
