import { optionalNumber } from '../options/checks';
import {
  pickLowest,
  type RoutingCandidate,
  type SyncRoutingStrategy,
} from '../strategies/routing-strategy';
import { HashRing } from './hash-ring';
import { inFlightLoad, minimumLoad } from './load-score';
import { parseSessionKeys, readSessionKey } from './session-key';

/** `routing_strategy_args` of session affinity. */
export interface SessionAffinityArgs {
  /**
   * Where the session key comes from: `"header:<name>"`, `"user"`,
   * `"metadata.<field>"`, or a list tried in order. Default
   * `["header:x-session-id", "metadata.session_id", "user"]`.
   */
  session_key?: string | string[];
  /** Points per deployment on the hash ring. Default 160. */
  virtual_nodes?: number;
  /**
   * Leave a session's deployment when it has more than this many requests
   * in flight beyond the least busy candidate (the next deployment on the
   * ring takes the request). Default: never — strict stickiness.
   */
  max_load_imbalance?: number;
}

/** Rings cached per candidate set; the set changes only with cooldowns and retries. */
const RING_CACHE_LIMIT = 64;

/**
 * Requests carrying a session key stick to one deployment, chosen by
 * consistent hashing over the candidates' ids: the same on every router with
 * the same config, and adding or removing a deployment moves only that
 * deployment's share of sessions. A cooled-down deployment's sessions move to
 * their next deployment on the ring and come back when it returns. Requests
 * without a key go to the deployment with the fewest requests in flight.
 */
export function sessionAffinity(args: SessionAffinityArgs = {}): SyncRoutingStrategy {
  const field = 'routing_strategy_args';
  const sources = parseSessionKeys(`${field}.session_key`, args.session_key);
  const virtualNodes =
    optionalNumber(`${field}.virtual_nodes`, args.virtual_nodes, { min: 1, integer: true }) ?? 160;
  const imbalance =
    optionalNumber(`${field}.max_load_imbalance`, args.max_load_imbalance, { min: 0 }) ??
    Number.POSITIVE_INFINITY;
  const rings = new Map<string, HashRing>();

  const ringFor = (candidates: readonly RoutingCandidate[]): HashRing => {
    let key = '';
    for (const c of candidates) key += `${c.deployment.id}\n`;
    let ring = rings.get(key);
    if (ring === undefined) {
      if (rings.size >= RING_CACHE_LIMIT) rings.delete(rings.keys().next().value!);
      ring = new HashRing(
        candidates.map(c => c.deployment.id),
        virtualNodes,
      );
      rings.set(key, ring);
    }
    return ring;
  };

  return {
    name: 'session-affinity',
    needs: { inFlight: true },
    pick(candidates, ctx) {
      const session = readSessionKey(sources, ctx);
      if (session === undefined || candidates.length === 1)
        return pickLowest(candidates, inFlightLoad, ctx.random);
      const ring = ringFor(candidates);
      const byId = (id: string) => candidates.find(c => c.deployment.id === id)!;
      if (imbalance === Number.POSITIVE_INFINITY) return byId(ring.owner(session)!);
      const limit = minimumLoad(candidates, inFlightLoad) + imbalance;
      for (const id of ring.walk(session)) {
        const c = byId(id);
        if (inFlightLoad(c) <= limit) return c;
      }
      return pickLowest(candidates, inFlightLoad, ctx.random);
    },
  };
}
