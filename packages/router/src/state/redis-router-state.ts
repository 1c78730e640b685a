import { MemoryRouterState } from './memory-router-state';
import { openRedisClient, type RedisClient } from './redis-client';
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
  /** Use this client, e.g. an ioredis `Redis` (it is not closed by {@link RedisRouterState.close}). */
  client?: RedisClient;
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
 *
 * While Redis is unreachable the state is kept in this process's memory
 * instead (cooldowns, windows and limits count per instance), so routing
 * goes on; it returns to Redis as soon as the connection is back.
 */
export class RedisRouterState implements RouterState {
  readonly #redis: RedisClient & Scripts;
  readonly #owns: boolean;
  readonly #prefix: string;
  readonly #local = new MemoryRouterState();
  /** Set when the connection failed or closed, cleared when it is ready again. */
  #offline = false;

  constructor(options: RedisRouterStateOptions) {
    this.#prefix = options.keyPrefix ?? 'switchyard:router:';
    this.#owns = options.client === undefined;
    const client =
      options.client ??
      openRedisClient(
        options.url !== undefined
          ? { url: options.url }
          : {
              host: options.host ?? '127.0.0.1',
              port: options.port ?? 6379,
              ...(options.password !== undefined ? { password: options.password } : {}),
              ...(options.db !== undefined ? { db: options.db } : {}),
            },
      );
    // While it is down the local state answers; without a listener ioredis
    // would also print each reconnect attempt.
    if (this.#owns) client.on('error', () => {});
    client.on('close', () => {
      this.#offline = true;
    });
    client.on('ready', () => {
      this.#offline = false;
    });
    client.defineCommand('syRouterSnapshot', { lua: SNAPSHOT_LUA });
    client.defineCommand('syRouterAcquire', { lua: ACQUIRE_LUA, numberOfKeys: 1 });
    client.defineCommand('syRouterFailure', { lua: FAILURE_LUA, numberOfKeys: 2 });
    client.defineCommand('syRouterInFlight', { lua: IN_FLIGHT_LUA, numberOfKeys: 1 });
    client.defineCommand('syRouterPrefixMatch', { lua: PREFIX_MATCH_LUA });
    client.defineCommand('syRouterPrefixRecord', { lua: PREFIX_RECORD_LUA });
    this.#redis = client as RedisClient & Scripts;
  }

  /**
   * True from a failed or lost connection until Redis is ready again: the
   * state is then kept in this process. (While the first connection is
   * being made, commands wait for it.)
   */
  get offline(): boolean {
    return this.#offline;
  }

  /**
   * Runs `remote` against Redis, or `local` while Redis is away (also when a
   * command fails because the connection dropped under it). Other errors
   * (a script error) are not hidden.
   */
  async #either<T>(remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.#offline) return local();
    try {
      return await remote();
    } catch (error) {
      if (this.#offline) return local();
      throw error;
    }
  }

  #key(kind: string, id: string, minute?: number): string {
    return minute === undefined
      ? `${this.#prefix}${kind}:${id}`
      : `${this.#prefix}${kind}:${id}:${minute}`;
  }

  snapshot(query: SnapshotQuery): Promise<DeploymentStats[]> {
    return this.#either(
      () => this.#snapshot(query),
      () => this.#local.snapshot(query),
    );
  }

  async #snapshot(query: SnapshotQuery): Promise<DeploymentStats[]> {
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

  acquireRequest(args: {
    id: string;
    now: number;
    rpmLimit: number | undefined;
  }): Promise<boolean> {
    return this.#either(
      async () =>
        (await this.#redis.syRouterAcquire(
          this.#key('rpm', args.id, minuteOf(args.now)),
          args.rpmLimit ?? -1,
          WINDOW_TTL_MS,
        )) >= 0,
      () => this.#local.acquireRequest(args),
    );
  }

  recordTokens(args: { id: string; now: number; tokens: number }): Promise<void> {
    const key = this.#key('tpm', args.id, minuteOf(args.now));
    return this.#either(
      async () => {
        await this.#redis.multi().incrby(key, args.tokens).pexpire(key, WINDOW_TTL_MS).exec();
      },
      () => this.#local.recordTokens(args),
    );
  }

  recordFailure(args: RecordFailureArgs): Promise<FailureOutcome> {
    return this.#either(
      () => this.#recordFailure(args),
      () => this.#local.recordFailure(args),
    );
  }

  async #recordFailure(args: RecordFailureArgs): Promise<FailureOutcome> {
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
    // Both: a cooldown recorded locally during an outage must end too.
    await this.#local.clearCooldown(id);
    await this.#either(
      async () => {
        await this.#redis.del(
          this.#key('cooldown', id),
          this.#key('fails', id, minuteOf(Date.now())),
        );
      },
      async () => {},
    );
  }

  changeInFlight(id: string, delta: 1 | -1): Promise<void> {
    return this.#either(
      async () => {
        await this.#redis.syRouterInFlight(this.#key('inflight', id), delta, IN_FLIGHT_TTL_MS);
      },
      () => this.#local.changeInFlight(id, delta),
    );
  }

  recordLatency(args: { id: string; ms: number }): Promise<void> {
    const key = this.#key('latency', args.id);
    return this.#either(
      async () => {
        await this.#redis
          .multi()
          .lpush(key, String(args.ms))
          .ltrim(key, 0, LATENCY_SAMPLES - 1)
          .pexpire(key, LATENCY_TTL_MS)
          .exec();
      },
      () => this.#local.recordLatency(args),
    );
  }

  /** Owners of each prefix key; none are known while Redis is away. */
  prefixOwners(args: { keys: readonly string[]; maxOwners: number }): Promise<string[][]> {
    if (args.keys.length === 0) return Promise.resolve([]);
    const keys = args.keys.map(k => this.#key('prefix', k));
    return this.#either(
      () => this.#redis.syRouterPrefixMatch(keys.length, ...keys, args.maxOwners),
      async () => [],
    );
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
    await this.#either(
      async () => {
        await this.#redis.syRouterPrefixRecord(
          keys.length,
          ...keys,
          args.id,
          args.now,
          Math.max(1, Math.round(args.ttlMs)),
          args.maxOwners,
        );
      },
      async () => {},
    );
  }

  async close(): Promise<void> {
    if (this.#owns) await this.#redis.quit();
  }
}
