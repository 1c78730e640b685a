import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

// ioredis costs ~10 MB of memory; a router without Redis never loads it.
const loadRedis = () =>
  (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

import {
  ACQUIRE_LUA,
  FAILURE_LUA,
  IN_FLIGHT_LUA,
  PREFIX_MATCH_LUA,
  PREFIX_RECORD_LUA,
  SNAPSHOT_LUA,
} from './redis-scripts';
import {
  type DeploymentStats,
  type FailureOutcome,
  LATENCY_SAMPLES,
  minuteOf,
  type RecordFailureArgs,
  type RouterState,
  type SnapshotQuery,
} from './router-state';

/** How to reach Redis: a URL, host / port / password, or a client you own. */
export interface RedisRouterStateOptions {
  url?: string;
  host?: string;
  port?: number;
  password?: string;
  db?: number;
  /** Use this client (it is not closed by {@link RedisRouterState.close}). */
  client?: Redis;
  /**
   * Prefix of every key. Routers that should share state use the same one.
   * For Redis Cluster, put a hash tag in it (`{switchyard}:`) so a snapshot's
   * keys share a slot.
   */
  keyPrefix?: string;
}

type Scripts = {
  syRouterSnapshot(...args: (string | number)[]): Promise<string[]>;
  syRouterAcquire(key: string, limit: number, ttl: number): Promise<number>;
  syRouterFailure(...args: (string | number)[]): Promise<[number, string | number]>;
  syRouterInFlight(key: string, delta: number, ttl: number): Promise<number>;
  syRouterPrefixMatch(...args: (string | number)[]): Promise<string[][]>;
  syRouterPrefixRecord(...args: (string | number)[]): Promise<number>;
};

/** Window keys outlive their minute a little, so a late reader still sees them. */
const WINDOW_TTL_MS = 120_000;
/** Counters of a crashed process must not pin a deployment as busy forever. */
const IN_FLIGHT_TTL_MS = 600_000;
const LATENCY_TTL_MS = 3_600_000;

/**
 * {@link RouterState} in Redis, shared by every router using the same key
 * prefix: cooldowns, failure counts, rpm / tpm windows, in-flight counts and
 * latency samples. Checks and updates run as Lua scripts, so they are atomic
 * across processes; each routing decision reads everything in one round trip.
 */
export class RedisRouterState implements RouterState {
  readonly #redis: Redis & Scripts;
  readonly #owns: boolean;
  readonly #prefix: string;

  constructor(options: RedisRouterStateOptions) {
    this.#prefix = options.keyPrefix ?? 'switchyard:router:';
    this.#owns = options.client === undefined;
    const client =
      options.client ??
      (options.url !== undefined
        ? new (loadRedis())(options.url, { lazyConnect: false, maxRetriesPerRequest: 2 })
        : new (loadRedis())({
            host: options.host ?? '127.0.0.1',
            port: options.port ?? 6379,
            maxRetriesPerRequest: 2,
            ...(options.password !== undefined ? { password: options.password } : {}),
            ...(options.db !== undefined ? { db: options.db } : {}),
          } satisfies RedisOptions));
    // Connection errors surface on the commands that fail (as "Router state store
    // unavailable"); without a listener ioredis would also print each reconnect attempt.
    if (this.#owns) client.on('error', () => {});
    client.defineCommand('syRouterSnapshot', { lua: SNAPSHOT_LUA });
    client.defineCommand('syRouterAcquire', { lua: ACQUIRE_LUA, numberOfKeys: 1 });
    client.defineCommand('syRouterFailure', { lua: FAILURE_LUA, numberOfKeys: 2 });
    client.defineCommand('syRouterInFlight', { lua: IN_FLIGHT_LUA, numberOfKeys: 1 });
    client.defineCommand('syRouterPrefixMatch', { lua: PREFIX_MATCH_LUA });
    client.defineCommand('syRouterPrefixRecord', { lua: PREFIX_RECORD_LUA });
    this.#redis = client as Redis & Scripts;
  }

  #key(kind: string, id: string, minute?: number): string {
    return minute === undefined
      ? `${this.#prefix}${kind}:${id}`
      : `${this.#prefix}${kind}:${id}:${minute}`;
  }

  async snapshot(query: SnapshotQuery): Promise<DeploymentStats[]> {
    const minute = minuteOf(query.now);
    const keys: string[] = [];
    for (const id of query.ids) {
      keys.push(
        this.#key('cooldown', id),
        this.#key('rpm', id, minute),
        this.#key('tpm', id, minute),
        this.#key('inflight', id),
        this.#key('latency', id),
      );
    }
    const flag = (b: boolean) => (b ? '1' : '0');
    const raw = await this.#redis.syRouterSnapshot(
      keys.length,
      ...keys,
      flag(query.usage),
      flag(query.inFlight),
      flag(query.latency),
      query.now,
    );
    return query.ids.map((_, i) => {
      const b = i * 5;
      const latency = raw[b + 4];
      return {
        cooldownUntil: Number(raw[b]),
        rpm: Number(raw[b + 1]),
        tpm: Number(raw[b + 2]),
        inFlight: Math.max(0, Number(raw[b + 3])),
        latencyMs: latency === '' || latency === undefined ? undefined : Number(latency),
      };
    });
  }

  async acquireRequest(args: {
    id: string;
    now: number;
    rpmLimit: number | undefined;
  }): Promise<boolean> {
    const count = await this.#redis.syRouterAcquire(
      this.#key('rpm', args.id, minuteOf(args.now)),
      args.rpmLimit ?? -1,
      WINDOW_TTL_MS,
    );
    return count >= 0;
  }

  async recordTokens(args: { id: string; now: number; tokens: number }): Promise<void> {
    const key = this.#key('tpm', args.id, minuteOf(args.now));
    await this.#redis.multi().incrby(key, args.tokens).pexpire(key, WINDOW_TTL_MS).exec();
  }

  async recordFailure(args: RecordFailureArgs): Promise<FailureOutcome> {
    const [failures, deadline] = await this.#redis.syRouterFailure(
      this.#key('fails', args.id, minuteOf(args.now)),
      this.#key('cooldown', args.id),
      args.allowedFails,
      args.immediate ? '1' : '0',
      args.now,
      args.cooldownMs,
      WINDOW_TTL_MS,
    );
    const until = Number(deadline);
    return { failures: Number(failures), cooldownUntil: until > 0 ? until : undefined };
  }

  async clearCooldown(id: string): Promise<void> {
    await this.#redis.del(this.#key('cooldown', id), this.#key('fails', id, minuteOf(Date.now())));
  }

  async changeInFlight(id: string, delta: 1 | -1): Promise<void> {
    await this.#redis.syRouterInFlight(this.#key('inflight', id), delta, IN_FLIGHT_TTL_MS);
  }

  async recordLatency(args: { id: string; ms: number }): Promise<void> {
    const key = this.#key('latency', args.id);
    await this.#redis
      .multi()
      .lpush(key, String(args.ms))
      .ltrim(key, 0, LATENCY_SAMPLES - 1)
      .pexpire(key, LATENCY_TTL_MS)
      .exec();
  }

  async prefixOwners(args: { keys: readonly string[]; maxOwners: number }): Promise<string[][]> {
    if (args.keys.length === 0) return [];
    const keys = args.keys.map(k => this.#key('prefix', k));
    return this.#redis.syRouterPrefixMatch(keys.length, ...keys, args.maxOwners);
  }

  async recordPrefixOwner(args: {
    keys: readonly string[];
    id: string;
    now: number;
    ttlMs: number;
    maxOwners: number;
  }): Promise<void> {
    if (args.keys.length === 0) return;
    const keys = args.keys.map(k => this.#key('prefix', k));
    await this.#redis.syRouterPrefixRecord(
      keys.length,
      ...keys,
      args.id,
      args.now,
      Math.max(1, Math.round(args.ttlMs)),
      args.maxOwners,
    );
  }

  async close(): Promise<void> {
    if (this.#owns) await this.#redis.quit();
  }
}
