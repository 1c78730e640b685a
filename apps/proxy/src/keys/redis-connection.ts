import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

// Loaded only when a Redis is configured: ioredis costs ~10 MB of memory.
const loadRedis = () =>
  (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;

import type { RedisTarget } from './key-settings';

/**
 * One Redis connection for limits and key invalidation. A command gives
 * up after one reconnection attempt while Redis is down, so a request is
 * refused with a clear error instead of hanging.
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
