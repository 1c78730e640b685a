import { configError, optionalBoolean, optionalNumber } from '../options/checks';
import {
  type PickContext,
  pickLowest,
  type RoutingCandidate,
  type RoutingStrategy,
} from '../strategies/routing-strategy';
import { inFlightLoad, minimumLoad } from './load-score';
import { opensConversation, placeNewPrefix } from './new-prefix-placement';
import { type ChunkOptions, prefixHashes } from './prefix-chunks';
import { MemoryPrefixIndex, type PrefixOwnerIndex, SharedPrefixIndex } from './prefix-index';

/** `routing_strategy_args` of prefix affinity. */
export interface PrefixAffinityArgs {
  /** Characters per prompt chunk. Default 256 (about 64 tokens). */
  chunk_size?: number;
  /** Chunks compared at most (longer prompts match on their start; bounds the decision cost). Default 64. */
  max_chunks?: number;
  /** Fewest leading chunks a deployment must hold to be preferred. Default 1. */
  min_match_chunks?: number;
  /**
   * The balance knob: a deployment holding the prefix is passed over when it
   * has more than this many requests in flight beyond the least busy
   * candidate. 0 = pure load balancing among equally loaded deployments; a
   * large value = affinity at any cost. Default 4.
   */
  max_load_imbalance?: number;
  /** Chunk hashes remembered in memory (LRU). Default 100,000. */
  max_prefixes?: number;
  /** Deployments remembered per chunk (the most recent). Default 4. */
  max_owners?: number;
  /**
   * Keep ownership in the router's shared state (Redis) so every instance
   * sees it. Default: true when the state is Redis.
   */
  shared?: boolean;
  /** Seconds a shared ownership record lives after its last use. Default 600. */
  prefix_ttl?: number;
}

/**
 * Sends a request to the deployment most likely to hold its prompt prefix
 * in its KV cache: the one that last served the longest matching prefix of
 * fixed-size chunks of the prompt. A prompt no candidate holds (at least
 * `min_match_chunks`), whose every holder is busier than the least busy
 * candidate by more than `max_load_imbalance`, or that opens a conversation
 * (no answer in it yet; held only in part, e.g. a shared system prompt) is a
 * new prefix: it goes to
 * the candidate holding the fewest prefix chunks among those within
 * `max_load_imbalance` of the least busy ({@link placeNewPrefix}). The
 * chosen deployment is recorded as the owner of the whole prompt's chunks,
 * so the next turn of a conversation follows it.
 */
export function prefixAffinity(
  args: PrefixAffinityArgs = {},
  clock: () => number = Date.now,
): RoutingStrategy {
  const f = (name: string) => `routing_strategy_args.${name}`;
  const chunks: ChunkOptions = {
    chunkSize: optionalNumber(f('chunk_size'), args.chunk_size, { min: 1, integer: true }) ?? 256,
    maxChunks: optionalNumber(f('max_chunks'), args.max_chunks, { min: 1, integer: true }) ?? 64,
  };
  const minMatch =
    optionalNumber(f('min_match_chunks'), args.min_match_chunks, { min: 1, integer: true }) ?? 1;
  const imbalance =
    optionalNumber(f('max_load_imbalance'), args.max_load_imbalance, { min: 0 }) ?? 4;
  const maxOwners =
    optionalNumber(f('max_owners'), args.max_owners, { min: 1, integer: true }) ?? 4;
  const maxEntries =
    optionalNumber(f('max_prefixes'), args.max_prefixes, { min: 1, integer: true }) ?? 100_000;
  const shared = optionalBoolean(f('shared'), args.shared);
  const ttlMs = (optionalNumber(f('prefix_ttl'), args.prefix_ttl, { min: 1 }) ?? 600) * 1000;
  let index: PrefixOwnerIndex = new MemoryPrefixIndex({ maxEntries, maxOwners });

  const decide = (
    candidates: readonly RoutingCandidate[],
    ctx: PickContext,
    depths: Map<string, number>,
    chunkCount: number,
  ): RoutingCandidate => {
    const limit = minimumLoad(candidates, inFlightLoad) + imbalance;
    const placeNew = () =>
      placeNewPrefix(candidates, { maxInFlight: limit, index, random: ctx.random });
    // An opening turn is placed as new unless some replica holds all of it
    // (the same prompt sent again: its cache answers the whole prefill).
    if (opensConversation(ctx.request) && !holdsAll(depths, chunkCount)) return placeNew();
    let best: RoutingCandidate | undefined;
    let bestDepth = 0;
    for (const c of candidates) {
      const depth = depths.get(c.deployment.id) ?? 0;
      if (depth < minMatch || depth < bestDepth || inFlightLoad(c) > limit) continue;
      if (depth > bestDepth || best === undefined || inFlightLoad(c) < inFlightLoad(best)) {
        best = c;
        bestDepth = depth;
      }
    }
    return best ?? placeNew();
  };

  return {
    name: 'prefix-affinity',
    needs: { inFlight: true },
    attach(env) {
      const s = env.state;
      if (shared === false || s.prefixOwners === undefined || s.recordPrefixOwner === undefined) {
        if (shared === true) {
          throw configError(
            f('shared'),
            'false unless the router state is shared (Redis), which keeps prefix ownership',
            true,
          );
        }
        return;
      }
      index = new SharedPrefixIndex({
        state: s as Required<Pick<typeof s, 'prefixOwners' | 'recordPrefixOwner'>>,
        ttlMs,
        maxOwners,
        clock,
        maxEntries,
      });
    },
    pick(candidates, ctx) {
      const hashes = prefixHashes(ctx.request, ctx.modelGroup, chunks);
      if (hashes.length === 0) return pickLowest(candidates, inFlightLoad, ctx.random);
      const depths = index.match(hashes);
      if (depths instanceof Promise) {
        return depths.then(async found => {
          const chosen = decide(candidates, ctx, found, hashes.length);
          await index.record(hashes, chosen.deployment.id);
          return chosen;
        });
      }
      const chosen = decide(candidates, ctx, depths, hashes.length);
      void index.record(hashes, chosen.deployment.id);
      return chosen;
    },
  };
}

/** Whether some deployment holds every one of the prompt's `chunkCount` chunks. */
function holdsAll(depths: ReadonlyMap<string, number>, chunkCount: number): boolean {
  for (const depth of depths.values()) if (depth >= chunkCount) return true;
  return false;
}
