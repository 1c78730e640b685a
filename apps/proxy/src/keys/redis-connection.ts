import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';
import type { RedisTarget } from './key-settings';

// Loaded only when a Redis is configured: ioredis costs ~10 MB of memory.
const loadRedis = () =>
  (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

/** How long start-up waits for a first connection before going on without Redis. */
const FIRST_CONNECT_WAIT_MS = 2_000;

/**
 * One Redis connection for limits and key invalidation. It reconnects
 * forever in the background; a command gives up after one reconnection
 * attempt while Redis is down, so a request is refused with a clear error
 * instead of hanging.
 */
export function connectRedis(target: RedisTarget): Redis {
  const Redis = loadRedis();
  const common = { enableOfflineQueue: true, maxRetriesPerRequest: 1, lazyConnect: false };
  return 'url' in target
    ? new Redis(target.url, common)
    : new Redis({
        ...common,
        host: target.host,
        port: target.port,
        password: target.password,
        db: target.db,
      });
}

/**
 * Logs when Redis goes away and when it is back, once per change (ioredis
 * reports every failed reconnection), and resolves once the first
 * connection succeeded or failed, or after two seconds: start-up never
 * waits on an unreachable Redis.
 */
export function watchRedis(redis: Redis, logger: Logger): Promise<void> {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      { err: error.message },
      'Redis is not reachable: requests with virtual keys and key changes get 503 until it is back',
    );
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('Redis is reachable again');
  });
  return new Promise(resolve => {
    const timer = setTimeout(resolve, FIRST_CONNECT_WAIT_MS);
    timer.unref();
    const settle = () => {
      clearTimeout(timer);
      redis.off('ready', settle);
      redis.off('error', settle);
      resolve();
    };
    redis.once('ready', settle);
    redis.once('error', settle);
  });
}

/** True while the connection can run commands. */
export function redisUp(redis: Redis): boolean {
  return redis.status === 'ready';
}
