/**
 * `kv-aware` routing: sends a request to the replica that holds the most
 * leading KV blocks of its prompt, as the engines themselves report them
 * (vLLM KV events), balanced against load:
 *
 *     score = overlap_weight × cached leading blocks − load_weight × load
 *
 * where load is the engine's running + waiting requests from its
 * `/metrics` (plus the picks sent since that sample, never less than this
 * router's own in-flight count). The highest score wins; ties are broken at
 * random. A replica without live events counts zero blocks, so it competes
 * on load alone. Decisions read only memory: the index is fed by event
 * subscribers and the prompt's block names by background tokenization.
 */
import type { Deployment } from '../deployments/deployment';
import { EngineLoadPoller } from '../engine-load/engine-load-poller';
import { metricsTargets } from '../engine-load/metrics-url';
import { optionalNumber } from '../options/checks';
import {
  pickLowest,
  type RoutingCandidate,
  type SyncRoutingStrategy,
} from '../strategies/routing-strategy';
import { KvBlockIndex } from './kv-block-index';
import {
  isLive,
  kvEventsConfigOf,
  type ReplicaState,
  subscribeAll,
  tokenizeTargetOf,
} from './kv-replicas';
import { PromptBlocks, prefixKeys } from './prompt-blocks';
import { estimatedBlocks, RecentPicks } from './recent-picks';

/** `routing_strategy_args` of kv-aware routing. */
export interface KvAwareArgs {
  /** Score per cached leading block. Default 1. */
  overlap_weight?: number;
  /** Score taken off per running or waiting request. Default 2. */
  load_weight?: number;
  /** Tokens per block until the engines report theirs. Default 16 (vLLM's). */
  block_size?: number;
  /** Block names the index keeps over all replicas of a group. Default 1,000,000. */
  max_blocks?: number;
  /** Conversation prefixes whose block names are cached. Default 5,000. */
  max_cached_prompts?: number;
  /** Seconds after a pick without any event before a replica counts as stale. Default 10. */
  stale_after?: number;
  /** Seconds a replica may stay stale before its part of the index is dropped. Default 30. */
  expire_after?: number;
  /** Seconds between `/metrics` polls. Default 1. */
  poll_interval?: number;
  /** Seconds one background `/tokenize` call may take. Default 5. */
  tokenize_timeout?: number;
}

/** The kv-aware strategy, with its view exposed for diagnostics, tests and benchmarks. */
export interface KvAwareStrategy extends SyncRoutingStrategy {
  /** Prompt tokens the index expects `deploymentId` to have cached for `request` (under `adapter`, if given). */
  predictCachedTokens(
    modelGroup: string,
    request: unknown,
    deploymentId: string,
    adapter?: string,
  ): number;
  /** Block names indexed for a model group. */
  indexedBlocks(modelGroup: string): number;
  /** Resolves once the event subscribers started (with the reason when they could not). */
  ready(): Promise<string | undefined>;
  /** Waits for background tokenization under way. */
  settle(): Promise<void>;
  /** Polls every engine's metrics now. */
  refresh(): Promise<void>;
}

interface Group {
  index: KvBlockIndex;
  prompts: PromptBlocks;
  recent: RecentPicks;
}

/** Builds the strategy from `routing_strategy_args`. */
export function kvAware(args: KvAwareArgs = {}, clock: () => number = Date.now): KvAwareStrategy {
  const f = (name: string) => `routing_strategy_args.${name}`;
  const num = (name: keyof KvAwareArgs, fallback: number, integer = false) =>
    optionalNumber(f(name), args[name], { min: 0, integer }) ?? fallback;
  const overlapWeight = num('overlap_weight', 1);
  const loadWeight = num('load_weight', 2);
  const defaultBlockSize = Math.max(1, num('block_size', 16, true));
  const maxBlocks = Math.max(1, num('max_blocks', 1_000_000, true));
  const maxPrompts = Math.max(1, num('max_cached_prompts', 5_000, true));
  const staleAfterMs = num('stale_after', 10) * 1000;
  const expireAfterMs = num('expire_after', 30) * 1000;
  const intervalMs = Math.max(10, num('poll_interval', 1) * 1000);
  const tokenizeTimeoutMs = Math.max(10, num('tokenize_timeout', 5) * 1000);
  const groups = new Map<string, Group>();
  const replicas = new Map<string, ReplicaState>();
  let poller: EngineLoadPoller | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<string | undefined> = Promise.resolve(undefined);
  const depthScratch = new Int32Array(32);

  const groupOf = (name: string): Group => {
    let g = groups.get(name);
    if (!g) {
      g = {
        index: new KvBlockIndex({ maxBlocks }),
        prompts: new PromptBlocks({
          maxEntries: maxPrompts,
          maxInFlight: 8,
          timeoutMs: tokenizeTimeoutMs,
        }),
        recent: new RecentPicks({ ttlMs: 5000, maxEntries: maxPrompts }),
      };
      groups.set(name, g);
    }
    return g;
  };

  const load = (c: RoutingCandidate): number => {
    const own = c.stats.inFlight;
    const engine = poller?.load(c.deployment.id);
    if (engine === undefined) return own;
    return Math.max(own, engine.running + engine.waiting + poller!.picksSince(c.deployment.id));
  };

  /** Cached leading blocks per candidate (0 for a replica without live events). */
  const overlaps = (
    modelGroup: string,
    request: unknown,
    candidates: readonly RoutingCandidate[],
  ) => {
    const g = groups.get(modelGroup);
    const out = new Map<string, number>();
    if (!g) return out;
    const now = clock();
    let mask = 0;
    const slots = new Map<string, number>();
    for (const c of candidates) {
      const r = replicas.get(c.deployment.id);
      if (!r || !isLive(r, now, staleAfterMs)) continue;
      const slot = g.index.slotOf(c.deployment.id);
      if (slot === undefined) continue;
      slots.set(c.deployment.id, slot);
      mask |= 1 << slot;
    }
    if (mask === 0) return out;
    // Every candidate of one decision serves the same model: the base, or one adapter.
    const keys = prefixKeys(request, candidates[0]?.deployment.loraAdapter);
    const named = g.prompts.lookup(keys, g.index.blockSize ?? defaultBlockSize);
    g.index.depths(named.names, mask, depthScratch);
    for (const [id, slot] of slots) out.set(id, depthScratch[slot]!);
    // A longer prefix just sent somewhere, not yet visible in events: its estimated claim.
    const hint = g.recent.hint(keys, now);
    if (hint && hint.at > named.at && slots.has(hint.deploymentId)) {
      out.set(hint.deploymentId, Math.max(out.get(hint.deploymentId)!, hint.blocks));
    }
    return out;
  };

  const expire = () => {
    const now = clock();
    for (const r of replicas.values()) {
      if (r.expired || r.pickedSinceBatchAt === undefined) continue;
      if (now - r.pickedSinceBatchAt > staleAfterMs + expireAfterMs) {
        r.expired = true;
        groups.get(r.group)?.index.forget(r.id);
      }
    }
  };

  return {
    name: 'kv-aware',
    needs: { inFlight: true },
    attach(env) {
      const targets = metricsTargets(env.deployments as Deployment[]);
      for (const d of env.deployments as Deployment[]) {
        const config = kvEventsConfigOf(d);
        if (!config) continue;
        groupOf(d.modelName);
        replicas.set(d.id, {
          id: d.id,
          group: d.modelName,
          config,
          tokenize: tokenizeTargetOf(d),
          subscribed: false,
          lastBatchAt: undefined,
          pickedSinceBatchAt: undefined,
          expired: false,
        });
      }
      poller = new EngineLoadPoller({
        targets,
        intervalMs,
        timeoutMs: Math.min(intervalMs, 2000),
        staleAfterMs: 3 * intervalMs,
        clock,
      });
      poller.start();
      if (replicas.size > 0) {
        started = subscribeAll({
          replicas: replicas.values(),
          indexOf: g => groupOf(g).index,
          clock,
        });
        timer = setInterval(expire, 1000);
        timer.unref();
      }
    },
    pick(candidates, ctx) {
      const blocks = overlaps(ctx.modelGroup, ctx.request, candidates);
      const score = (c: RoutingCandidate) =>
        loadWeight * load(c) - overlapWeight * (blocks.get(c.deployment.id) ?? 0);
      const chosen = pickLowest(candidates, score, ctx.random);
      poller?.notePick(chosen.deployment.id);
      const r = replicas.get(chosen.deployment.id);
      if (r) {
        r.pickedSinceBatchAt ??= clock();
        const g = groups.get(r.group);
        if (g) {
          const adapter = chosen.deployment.loraAdapter;
          const keys = prefixKeys(ctx.request, adapter);
          const size = g.index.blockSize ?? defaultBlockSize;
          const estimates = estimatedBlocks(ctx.request, size);
          const now = clock();
          for (const j of new Set([0, keys.length - 1])) {
            if (j >= 0) g.recent.note(keys[j]!, r.id, estimates[j] ?? 0, now);
          }
          if (r.tokenize) {
            g.prompts.learn(ctx.request, keys, { engine: r.tokenize, blockSize: size, adapter });
          }
        }
      }
      return chosen;
    },
    predictCachedTokens(modelGroup, request, deploymentId, adapter) {
      const deployment = { id: deploymentId, loraAdapter: adapter };
      const candidate = { deployment, stats: { inFlight: 0 } };
      const blocks = overlaps(modelGroup, request, [candidate as unknown as RoutingCandidate]);
      const size = groups.get(modelGroup)?.index.blockSize ?? defaultBlockSize;
      return (blocks.get(deploymentId) ?? 0) * size;
    },
    indexedBlocks: group => groups.get(group)?.index.size ?? 0,
    ready: () => started,
    async settle() {
      await Promise.all([...groups.values()].map(g => g.prompts.settle()));
    },
    refresh: () => poller?.refresh() ?? Promise.resolve(),
    async close() {
      if (timer) clearInterval(timer);
      for (const r of replicas.values()) r.close?.();
      await poller?.close();
      await Promise.all([...groups.values()].map(g => g.prompts.close()));
    },
  };
}
