import { pickLowest, type RoutingCandidate } from '../strategies/routing-strategy';
import { inFlightLoad } from './load-score';
import type { PrefixOwnerIndex } from './prefix-index';

/**
 * Where prefix affinity sends a prompt no candidate holds: among the
 * candidates with at most `maxInFlight` requests in flight, the one whose
 * KV cache holds the fewest prefix chunks (as the index counts them), then
 * the least busy, then at random.
 *
 * Why holdings and not load alone: when requests arrive one at a time every
 * replica has nothing in flight, so load cannot tell them apart and the
 * choice was a coin toss — 40 conversations landed 1.8× the fair share on
 * one replica. A conversation stays where its first turn went, so placing
 * each new one where least is held spreads conversations, their later turns
 * and their cache use evenly. Load still bounds it: a replica far busier
 * than the least busy one gets no new prefix however little it holds.
 */
export function placeNewPrefix(
  candidates: readonly RoutingCandidate[],
  options: { maxInFlight: number; index: PrefixOwnerIndex; random: () => number },
): RoutingCandidate {
  const { maxInFlight, index } = options;
  // One pass, lexicographic: in-flight counts within the limit are below
  // `weight`, so fewer chunks held always wins and load breaks the ties.
  const weight = maxInFlight + 1;
  return pickLowest(
    candidates,
    c => {
      const load = inFlightLoad(c);
      if (load > maxInFlight) return Number.POSITIVE_INFINITY;
      return index.held(c.deployment.id) * weight + load;
    },
    options.random,
  );
}

/**
 * Whether a chat request opens a conversation: its messages hold no answer
 * yet (no `assistant` or `tool` turn). Such a prompt is new even when a
 * replica holds its start — a system prompt many conversations share —
 * and following that replica would pile every new conversation onto the
 * first one to serve the shared prompt. A later turn carries the answers
 * of the earlier ones, so it is matched against what replicas hold.
 */
export function opensConversation(request: unknown): boolean {
  const messages = (request as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const m of messages) {
    const role = (m as { role?: unknown } | null)?.role;
    if (role === 'assistant' || role === 'tool') return false;
  }
  return true;
}
