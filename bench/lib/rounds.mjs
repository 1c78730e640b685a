/**
 * Several short rounds per cell instead of one long one, targets taking
 * turns within each round: on a shared machine the speed drifts over
 * minutes, and a target measured all in one stretch can land in a slow
 * one. A cell's figures are the medians over its rounds (RSS, PSS, USS: the maximum).
 */

/** Median of the defined numbers in `values`, or undefined when there are none. */
export function median(values) {
  const sorted = values
    .filter(v => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sum(values) {
  return values.reduce((total, v) => total + (v ?? 0), 0);
}

/** The order targets run in during round `round`: rotated, so none is always first or last. */
export function roundOrder(targets, round) {
  const shift = round % targets.length;
  return [...targets.slice(shift), ...targets.slice(0, shift)];
}

/** One cell from its rounds: `{ load, probe, gateway }` each measured once per round. */
export function combineRounds(rounds) {
  const loads = rounds.map(r => r.load);
  const probes = rounds.map(r => r.probe);
  const gateways = rounds.map(r => r.gateway);
  const failures = {};
  for (const probe of probes) {
    for (const [reason, count] of Object.entries(probe.failures ?? {})) {
      failures[reason] = (failures[reason] ?? 0) + count;
    }
  }
  const peak = key => {
    const values = gateways.map(g => g[key]).filter(v => v !== undefined);
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  return {
    rounds: rounds.length,
    // Kept per round so ratios can pair targets measured side by side (see pairedRatio).
    perRound: rounds.map(r => ({
      rps: r.load.rps,
      latencyP50: r.probe.latencyMs.p50,
      ttfbP50: r.probe.ttfbMs.p50,
    })),
    load: {
      rps: median(loads.map(l => l.rps)),
      ok: sum(loads.map(l => l.ok)),
      non2xx: sum(loads.map(l => l.non2xx)),
      errors: sum(loads.map(l => l.errors)),
      timeouts: sum(loads.map(l => l.timeouts)),
      latencyMs: {
        p50: median(loads.map(l => l.latencyMs.p50)),
        p99: median(loads.map(l => l.latencyMs.p99)),
      },
    },
    probe: {
      rps: median(probes.map(p => p.rps)),
      ok: sum(probes.map(p => p.ok)),
      failed: sum(probes.map(p => p.failed)),
      failures,
      latencyMs: {
        p50: median(probes.map(p => p.latencyMs.p50)),
        p99: median(probes.map(p => p.latencyMs.p99)),
      },
      ttfbMs: {
        p50: median(probes.map(p => p.ttfbMs.p50)),
        p99: median(probes.map(p => p.ttfbMs.p99)),
      },
    },
    gateway: {
      cpuPercent: median(gateways.map(g => g.cpuPercent)),
      maxRssMb: peak('maxRssMb'),
      maxPssMb: peak('maxPssMb'),
      maxUssMb: peak('maxUssMb'),
    },
  };
}

/**
 * The median over rounds of `ratio(a[i], b[i], c[i])`, pairing the cells'
 * rounds by index: targets measured in the same round saw the same
 * machine, so their ratio drifts far less than a ratio of medians.
 * Undefined when a cell has no per-round figures.
 */
export function pairedRatio(cells, ratio) {
  if (cells.some(c => !Array.isArray(c.perRound))) return undefined;
  const n = Math.min(...cells.map(c => c.perRound.length));
  const ratios = [];
  for (let i = 0; i < n; i++) ratios.push(ratio(...cells.map(c => c.perRound[i])));
  return { value: median(ratios), ratios };
}
