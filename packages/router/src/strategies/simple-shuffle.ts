import type { RoutingCandidate, SyncRoutingStrategy } from './routing-strategy';

type WeightField = 'weight' | 'rpm' | 'tpm';

/**
 * LiteLLM's default: weighted random by `weight` when a candidate has one,
 * else by `rpm`, else by `tpm`, else uniform. Reads no state.
 */
export const simpleShuffle: SyncRoutingStrategy = {
  name: 'simple-shuffle',
  pick(candidates, ctx) {
    if (candidates.length === 1) return candidates[0]!;
    const field = weightField(candidates);
    if (field === undefined) return candidates[Math.floor(ctx.random() * candidates.length)]!;
    let total = 0;
    for (const c of candidates) total += c.deployment[field] ?? 0;
    if (total <= 0) return candidates[Math.floor(ctx.random() * candidates.length)]!;
    let point = ctx.random() * total;
    for (const c of candidates) {
      point -= c.deployment[field] ?? 0;
      if (point < 0) return c;
    }
    return candidates[candidates.length - 1]!;
  },
};

function weightField(candidates: readonly RoutingCandidate[]): WeightField | undefined {
  let rpm = false;
  let tpm = false;
  for (const c of candidates) {
    if (c.deployment.weight !== undefined) return 'weight';
    if (c.deployment.rpm !== undefined) rpm = true;
    if (c.deployment.tpm !== undefined) tpm = true;
  }
  return rpm ? 'rpm' : tpm ? 'tpm' : undefined;
}
