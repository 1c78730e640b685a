import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Router } from '@switchyard/router';
import type { Redis } from 'ioredis';
import { ProxyError } from '../http/proxy-error';
import type { Limiter } from '../limits/limiter';
import { MemoryLimiter } from '../limits/memory-limiter';
import { RedisLimiter } from '../limits/redis-limiter';
import type { Logger } from '../logging/logger';
import type { CounterHandle } from '../metrics/counter';
import { PriceBook } from '../spend/cost';
import { SpendDeadLetter } from '../spend/spend-dead-letter';
import { SpendWal } from '../spend/spend-wal';
import { SpendWriter } from '../spend/spend-writer';
import { openStore } from '../store/open-store';
import type { SqlDb } from '../store/sql-db';
import { invalidKeyError } from './admission';
import { type AuthRecord, loadAuthRecord } from './auth-record';
import { KeyCache } from './key-cache';
import { hashKey } from './key-secret';
import type { KeySettings } from './key-settings';
import { connectRedis, redisUp, watchRedis } from './redis-connection';

/** Options for {@link KeyManager.create}. */
export interface KeyManagerOptions {
  settings: KeySettings;
  router: Router;
  logger: Logger;
  /**
   * False in a worker of `--num-workers` with the embedded store, which one
   * process must own: virtual keys are then refused with a clear message.
   */
  storeAllowed?: boolean;
  /** Counts spend rows moved to the dead-letter file. */
  deadLetterCount?: CounterHandle;
}

/**
 * Virtual keys, limits and spend for one proxy process: the store (opened
 * on first use), the key cache, the limiter (Redis when configured), the
 * spend writer, and the Redis channel that tells other instances a key
 * changed.
 */
export class KeyManager {
  readonly settings: KeySettings;
  readonly masterToken: string;
  readonly cache: KeyCache;
  readonly limiter: Limiter;
  readonly prices: PriceBook;
  readonly spend: SpendWriter | undefined;
  readonly logger: Logger;
  readonly #redis: Redis | undefined;
  readonly #subscriber: Redis | undefined;
  readonly #channel: string;
  readonly #storeAllowed: boolean;
  #db: Promise<SqlDb> | undefined;
  #opened: SqlDb | undefined;
  #dbReady = false;

  private constructor(
    options: KeyManagerOptions,
    redis: Redis | undefined,
    subscriber: Redis | undefined,
  ) {
    this.settings = options.settings;
    this.logger = options.logger;
    this.masterToken = hashKey(options.settings.masterKey);
    this.prices = new PriceBook(options.router);
    this.#storeAllowed = options.storeAllowed ?? true;
    this.#redis = redis;
    this.#subscriber = subscriber;
    this.#channel = `${options.settings.redisPrefix}key-changed`;
    this.cache = new KeyCache({
      ttlMs: options.settings.cacheTtlMs,
      load: async token => {
        // A fresh embedded store holds no keys: no need to create it just to say "not found".
        if (!this.#dbReady && this.#embeddedStoreMissing()) return undefined;
        // A key's spend is read here: the rows a crashed run left in the log go in first.
        await this.spend?.drainBacklog();
        return loadAuthRecord(await this.db(), token);
      },
    });
    this.limiter = redis
      ? new RedisLimiter({ redis, prefix: options.settings.redisPrefix })
      : new MemoryLimiter();
    this.spend = options.settings.spendLogs
      ? new SpendWriter({
          wal: new SpendWal(join(options.settings.dataDir, 'spend-wal')),
          db: () => this.db(),
          isOpen: () => this.#dbReady,
          intervalMs: options.settings.batchWriteMs,
          logger: options.logger,
          deadLetter: new SpendDeadLetter(
            join(options.settings.dataDir, 'spend-dead-letter.jsonl'),
          ),
          deadLetterCount: options.deadLetterCount,
        })
      : undefined;
  }

  /**
   * Connects Redis (when configured), opens the write-ahead log and starts
   * the spend writer. An unreachable Redis does not stop the start: it is
   * logged, reported by readiness, and picked up when it comes back.
   */
  static async create(options: KeyManagerOptions): Promise<KeyManager> {
    const target = options.settings.redis;
    const redis = target ? connectRedis(target) : undefined;
    const subscriber = redis?.duplicate();
    const manager = new KeyManager(options, redis, subscriber);
    try {
      if (redis && subscriber) {
        const connected = watchRedis(redis, options.logger);
        subscriber.on('error', () => {}); // reported once through the command connection
        subscriber.on('message', (_channel: string, token: string) => {
          if (token === '*') manager.cache.clear();
          else manager.cache.invalidate(token);
        });
        // Also after every reconnection: changes announced while this
        // instance was cut off were missed, so every cached key is read again.
        subscriber.on('ready', () => {
          manager.cache.clear();
          subscriber.subscribe(manager.#channel).catch((error: Error) => {
            options.logger.warn({ err: error.message }, 'key-change subscription failed');
          });
        });
        await connected;
      }
      if (manager.spend) {
        await manager.spend.open();
        manager.spend.start();
      }
    } catch (error) {
      await manager.close();
      throw error;
    }
    return manager;
  }

  #embeddedStoreMissing(): boolean {
    return (
      this.settings.databaseUrl === undefined &&
      !existsSync(join(this.settings.dataDir, 'db', 'PG_VERSION'))
    );
  }

  /** True when limits are shared through Redis: every key request then checks revocation there too. */
  get sharedLimits(): boolean {
    return this.#redis !== undefined;
  }

  /** Whether Redis answers now; undefined when none is configured. */
  get redisUp(): boolean | undefined {
    return this.#redis === undefined ? undefined : redisUp(this.#redis);
  }

  /**
   * Refuses, before anything is written, a change other instances must
   * hear of (a key made, changed or deleted) while Redis is down: 503.
   */
  assertRedisUp(): void {
    if (this.redisUp !== false) return;
    throw new ProxyError({
      status: 503,
      type: 'service_unavailable',
      message:
        'Redis is not reachable: key, user and team changes cannot reach the other instances. Retry once it is back.',
    });
  }

  /**
   * Whether the store answers a trivial statement within `timeoutMs`,
   * opening it first if it is not open yet (the open goes on after a
   * timeout). Check {@link storeUsable} first.
   */
  async pingDb(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(resolve => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = this.db()
      .then(db => db.query('SELECT 1'))
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** True while the store is being opened (and migrated). */
  get storeOpening(): boolean {
    return this.#db !== undefined && !this.#dbReady;
  }

  /** False in a `--num-workers` worker on the embedded store: there is no store here. */
  get storeUsable(): boolean {
    return this.#storeAllowed;
  }

  /** The store, opened (and migrated, when allowed) on first use. */
  db(): Promise<SqlDb> {
    if (!this.#storeAllowed) {
      return Promise.reject(
        new ProxyError({
          status: 500,
          type: 'no_db_connection',
          message:
            'Virtual keys with --num-workers > 1 need a shared database: set general_settings.database_url (the embedded store belongs to one process).',
        }),
      );
    }
    if (this.#opened?.lost) {
      // The embedded store's worker stopped: open it again.
      this.logger.warn({ store: this.#opened.kind }, 'store stopped; reopening it');
      this.#db = undefined;
      this.#opened = undefined;
      this.#dbReady = false;
    }
    const started = performance.now();
    this.#db ??= openStore(this.settings).then(
      db => {
        this.#opened = db;
        this.#dbReady = true;
        this.logger.info(
          {
            store: db.kind,
            origin: 'origin' in db ? db.origin : undefined,
            ms: Math.round(performance.now() - started),
          },
          'store opened',
        );
        return db;
      },
      error => {
        // The next caller tries again: an outage must not be remembered forever.
        this.#db = undefined;
        throw new ProxyError({
          status: 503,
          type: 'no_db_connection',
          message: `Database not reachable: ${(error as Error).message}`,
        });
      },
    );
    return this.#db;
  }

  /** The record of a virtual key, or a 401 when it does not exist, expired or is blocked. */
  async resolve(key: string, now = Date.now()): Promise<AuthRecord> {
    const token = hashKey(key);
    const hit = this.cache.peek(token, now);
    const record = hit ? hit.record : await this.cache.get(token, now);
    if (!record) throw invalidKeyError();
    checkUsable(record, now);
    return record;
  }

  /** Drops a key from every instance's cache (after an update or delete). */
  async invalidate(token: string): Promise<void> {
    this.cache.invalidate(token);
    await this.#redis?.publish(this.#channel, token);
  }

  /** Deleted or replaced: refused at once everywhere, even where a cache still holds it. */
  async revoke(token: string): Promise<void> {
    await this.limiter.revoke(token);
    await this.invalidate(token);
  }

  async close(): Promise<void> {
    await this.spend?.close();
    await this.limiter.close();
    this.#subscriber?.disconnect();
    if (this.#redis) await this.#redis.quit().catch(() => {});
    const db = this.#db;
    this.#db = undefined;
    if (db) await db.then(d => d.close()).catch(() => {});
  }
}

/** Expiry and blocking are checked on every request, against the clock, not the cache. */
export function checkUsable(record: AuthRecord, now: number): void {
  if (record.expiresAt !== undefined && record.expiresAt <= now) {
    throw new ProxyError({
      status: 401,
      type: 'expired_key',
      message: `Authentication Error - Expired Key. Key Expiry time ${new Date(record.expiresAt).toISOString()} and current time ${new Date(now).toISOString()}`,
    });
  }
  if (record.key.blocked || record.team?.blocked) {
    throw new ProxyError({
      status: 401,
      type: 'auth_error',
      message: `Authentication Error, ${record.key.blocked ? 'this key' : 'the team of this key'} is blocked.`,
    });
  }
}
