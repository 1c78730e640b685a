import { resolve } from 'node:path';
import type { ProxyConfig } from '../config/config-schema';

/** How the proxy reaches Redis, when it does. */
export type RedisTarget =
  | { url: string }
  | { host: string; port: number; password?: string; db?: number };

/** Everything keys, limits and spend read from the config, resolved once. */
export interface KeySettings {
  masterKey: string;
  /** `postgresql://...`, or undefined for the embedded store. */
  databaseUrl: string | undefined;
  poolLimit: number;
  connectionTimeoutMs: number;
  /** Folder of the embedded database and the spend write-ahead buffer. */
  dataDir: string;
  /** The embedded store's worker heap limit, MB (`switchyard_store_heap_mb`). */
  storeHeapMb: number | undefined;
  /** Apply migrations when the store opens (the embedded store always does). */
  migrateOnOpen: boolean;
  spendLogs: boolean;
  batchWriteMs: number;
  cacheTtlMs: number;
  redis: RedisTarget | undefined;
  redisPrefix: string;
  /** `litellm_settings.max_budget`, shown by `/global/spend`. */
  globalMaxBudget: number | undefined;
}

/**
 * Reads key management settings. Redis comes from the first of
 * `general_settings`, `router_settings`, `litellm_settings.cache_params`
 * and the `REDIS_URL` / `REDIS_HOST` environment, LiteLLM's places.
 */
export function resolveKeySettings(
  config: ProxyConfig,
  masterKey: string,
  env: Record<string, string | undefined> = process.env,
): KeySettings {
  const gs = config.general_settings;
  const rs = config.router_settings;
  const cp = config.litellm_settings.cache_params;
  const databaseUrl = gs.database_url ?? env.DATABASE_URL;
  const truthy = (v: string | undefined) => v === 'true' || v === '1';
  return {
    masterKey,
    databaseUrl: databaseUrl === '' ? undefined : databaseUrl,
    poolLimit: gs.database_connection_pool_limit ?? 10,
    connectionTimeoutMs: (gs.database_connection_timeout ?? 60) * 1000,
    dataDir: resolve(gs.switchyard_data_dir ?? env.SWITCHYARD_DATA_DIR ?? '.switchyard'),
    storeHeapMb: gs.switchyard_store_heap_mb,
    migrateOnOpen: !(
      gs.disable_schema_update === true ||
      gs.disable_prisma_schema_update === true ||
      truthy(env.DISABLE_SCHEMA_UPDATE)
    ),
    spendLogs: gs.disable_spend_logs !== true,
    batchWriteMs: (gs.proxy_batch_write_at ?? 10) * 1000,
    cacheTtlMs: (gs.user_api_key_cache_ttl ?? 60) * 1000,
    redis: pickRedis([
      { url: gs.redis_url, host: gs.redis_host, port: gs.redis_port, password: gs.redis_password },
      {
        url: rs.redis_url,
        host: rs.redis_host,
        port: rs.redis_port,
        password: rs.redis_password,
        db: rs.redis_db,
      },
      { url: cp?.url ?? cp?.redis_url, host: cp?.host, port: cp?.port, password: cp?.password },
      {
        url: env.REDIS_URL,
        host: env.REDIS_HOST,
        port: env.REDIS_PORT === undefined ? undefined : Number(env.REDIS_PORT),
        password: env.REDIS_PASSWORD,
      },
    ]),
    redisPrefix: gs.switchyard_redis_prefix ?? 'switchyard:',
    globalMaxBudget: config.litellm_settings.max_budget,
  };
}

interface RedisCandidate {
  url?: string;
  host?: string;
  port?: number;
  password?: string;
  db?: number;
}

function pickRedis(candidates: RedisCandidate[]): RedisTarget | undefined {
  for (const c of candidates) {
    if (c.url) return { url: c.url };
    if (c.host) return { host: c.host, port: c.port ?? 6379, password: c.password, db: c.db };
  }
  return undefined;
}
