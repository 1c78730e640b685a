import { createRequire } from 'node:module';
import { installHint, isMissingPackage } from '@switchyard/core';
import type { RedisOptions } from 'ioredis';

/** Commands queued by `multi()`; ioredis's `ChainableCommander` fits. */
export interface RedisPipeline {
  incrby(key: string, increment: number): RedisPipeline;
  pexpire(key: string, ms: number): RedisPipeline;
  lpush(key: string, value: string): RedisPipeline;
  ltrim(key: string, start: number, stop: number): RedisPipeline;
  exec(): Promise<unknown>;
}

/**
 * The part of a Redis client the router state uses. An ioredis `Redis` fits,
 * so a client you own can be passed in; the type is spelt out here so that
 * the router's published types do not need ioredis installed.
 */
export interface RedisClient {
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number }): void;
  on(event: string, listener: (...args: never[]) => void): unknown;
  multi(): RedisPipeline;
  del(...keys: string[]): Promise<unknown>;
  quit(): Promise<unknown>;
}

/** Where to connect when the router state opens its own client. */
export type RedisTarget = { url: string } | RedisOptions;

const PACKAGE = 'ioredis';

/**
 * Opens an ioredis client. ioredis is an optional peer dependency, loaded
 * only here (a router without Redis never needs it, and it costs ~10 MB of
 * memory); when it is missing the error says what to install.
 */
export function openRedisClient(target: RedisTarget): RedisClient {
  let Redis: typeof import('ioredis').Redis;
  try {
    Redis = (createRequire(import.meta.url)(PACKAGE) as typeof import('ioredis')).Redis;
  } catch (cause) {
    if (!isMissingPackage(cause, PACKAGE)) throw cause;
    throw new Error(
      `Router state in Redis (redis_url / redis_host) needs the ${PACKAGE} package, which is not installed. ${installHint(PACKAGE)}`,
      { cause },
    );
  }
  const options = { maxRetriesPerRequest: 2 };
  return 'url' in target && typeof target.url === 'string'
    ? new Redis(target.url, { lazyConnect: false, ...options })
    : new Redis({ ...options, ...(target as RedisOptions) });
}
