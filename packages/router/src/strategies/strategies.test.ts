import { describe, expect, it } from 'vitest';
import type { Deployment } from '../deployments/deployment';
import type { DeploymentStats } from '../state/router-state';
import { latencyBased } from './latency-based';
import { leastBusy } from './least-busy';
import type { RoutingCandidate } from './routing-strategy';
import { simpleShuffle } from './simple-shuffle';
import { usageBased } from './usage-based';

function candidate(
  id: string,
  d: Partial<Deployment> = {},
  s: Partial<DeploymentStats> = {},
): RoutingCandidate {
  return {
    deployment: { id, ...d } as Deployment,
    stats: { cooldownUntil: 0, rpm: 0, tpm: 0, inFlight: 0, latencyMs: undefined, ...s },
  };
}

/** A deterministic sequence of uniform numbers. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

const ctx = (random: () => number) => ({ modelGroup: 'g', request: {}, random });

describe('simple-shuffle', () => {
  it('is weighted by weight, then rpm, then tpm', () => {
    const weighted = [candidate('a', { weight: 1, rpm: 1000 }), candidate('b', { weight: 3 })];
    // Points in [0, 4): below 1 → a, else b.
    expect(
      simpleShuffle.pick(
        weighted,
        ctx(() => 0.2),
      ).deployment.id,
    ).toBe('a');
    expect(
      simpleShuffle.pick(
        weighted,
        ctx(() => 0.3),
      ).deployment.id,
    ).toBe('b');
    const byRpm = [candidate('a', { rpm: 900 }), candidate('b', { rpm: 100 })];
    expect(
      simpleShuffle.pick(
        byRpm,
        ctx(() => 0.85),
      ).deployment.id,
    ).toBe('a');
    expect(
      simpleShuffle.pick(
        byRpm,
        ctx(() => 0.95),
      ).deployment.id,
    ).toBe('b');
    const byTpm = [candidate('a', { tpm: 1 }), candidate('b', { tpm: 1 })];
    expect(
      simpleShuffle.pick(
        byTpm,
        ctx(() => 0.6),
      ).deployment.id,
    ).toBe('b');
  });

  it('is uniform without weights, and follows the frequencies over many picks', () => {
    const three = [candidate('a'), candidate('b'), candidate('c')];
    expect(
      simpleShuffle.pick(
        three,
        ctx(() => 0.5),
      ).deployment.id,
    ).toBe('b');
    const weighted = [candidate('a', { weight: 1 }), candidate('b', { weight: 9 })];
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 1000; i++)
      counts[
        simpleShuffle.pick(
          weighted,
          ctx(() => i / 1000),
        ).deployment.id as 'a' | 'b'
      ]++;
    expect(counts).toEqual({ a: 100, b: 900 });
  });
});

describe('stateful strategies', () => {
  it('least-busy picks the fewest in flight, ties at random', () => {
    const list = [
      candidate('a', {}, { inFlight: 3 }),
      candidate('b', {}, { inFlight: 1 }),
      candidate('c', {}, { inFlight: 1 }),
    ];
    expect(leastBusy.pick(list, ctx(sequence([0.9]))).deployment.id).toBe('b');
    expect(leastBusy.pick(list, ctx(sequence([0.1]))).deployment.id).toBe('c');
  });

  it('usage-based picks the fewest tokens this minute', () => {
    const list = [
      candidate('a', {}, { tpm: 500 }),
      candidate('b', {}, { tpm: 20, rpm: 9 }),
      candidate('c', {}, { tpm: 20, rpm: 2 }),
    ];
    expect(usageBased.pick(list, ctx(Math.random)).deployment.id).toBe('c');
  });

  it('latency-based prefers unmeasured, then the fastest, within the buffer', () => {
    const measured = [
      candidate('a', {}, { latencyMs: 100 }),
      candidate('b', {}, { latencyMs: 140 }),
      candidate('c', {}, { latencyMs: 400 }),
    ];
    expect(
      latencyBased().pick(
        measured,
        ctx(() => 0.99),
      ).deployment.id,
    ).toBe('a');
    expect(
      latencyBased({ lowest_latency_buffer: 0.5 }).pick(
        measured,
        ctx(() => 0.99),
      ).deployment.id,
    ).toBe('b');
    expect(
      latencyBased().pick(
        [...measured, candidate('new')],
        ctx(() => 0),
      ).deployment.id,
    ).toBe('new');
  });
});
