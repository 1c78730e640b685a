import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import pg from 'pg';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';
import type { Logger } from '../src/logging/logger';

/** The test PostgreSQL (trust auth); each run gets its own database. */
export const PG_ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A new, empty database on the test server, dropped by the returned `drop`. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sy_keys_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A unique Redis key prefix, so concurrent runs never share counters. */
export function redisPrefix(): string {
  return `sy-test-${randomBytes(6).toString('hex')}:`;
}

/** A fresh temporary folder (embedded store, write-ahead log). */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'switchyard-keys-'));
}

/** A chat body whose message carries a marker, to find it in the upstream's request log. */
export function chat(model: string, marker = 'hi', extra: Record<string, unknown> = {}) {
  return { model, messages: [{ role: 'user', content: marker }], max_tokens: 4, ...extra };
}

/** Options for {@link keysConfig}. */
export interface KeysConfigOptions {
  /** The vLLM emulator serving the `chat` model. */
  upstream: string;
  /** PostgreSQL URL; the embedded store in `dataDir` when absent. */
  databaseUrl?: string;
  dataDir: string;
  masterKey: string;
  /** USD per prompt / completion token of `chat` (defaults 0.0001 / 0.0002). */
  prices?: { input: number; output: number };
  /** `proxy_batch_write_at`, seconds (default 0.05). */
  batchWriteSeconds?: number;
  /** More `general_settings`. */
  general?: Record<string, unknown>;
}

/**
 * A raw config (for `parseConfig` in-process, or as a file for a spawned
 * proxy) with one priced `chat` model, keys and spend on, retries off.
 */
export function keysConfig(o: KeysConfigOptions): Record<string, unknown> {
  return {
    model_list: [
      {
        model_name: 'chat',
        litellm_params: { model: 'hosted_vllm/facebook/opt-125m', api_base: o.upstream },
        model_info: {
          input_cost_per_token: o.prices?.input ?? 0.0001,
          output_cost_per_token: o.prices?.output ?? 0.0002,
        },
      },
    ],
    router_settings: { num_retries: 0 },
    general_settings: {
      master_key: o.masterKey,
      switchyard_data_dir: o.dataDir,
      proxy_batch_write_at: o.batchWriteSeconds ?? 0.05,
      ...(o.databaseUrl ? { database_url: o.databaseUrl } : {}),
      ...o.general,
    },
  };
}

/** A keys proxy in this process in front of a vLLM emulator, on a fresh store. */
export interface KeysStack {
  proxy: RunningProxy;
  vllm: VllmEmulator;
  dataDir: string;
  /** The PostgreSQL database, when on PostgreSQL. */
  databaseUrl: string | undefined;
  /** Stops the proxy only (the store and the emulator stay), to start another on the same store. */
  stopProxy(): Promise<void>;
  /** Starts a proxy again on the same store and folder. */
  restart(): Promise<RunningProxy>;
  close(): Promise<void>;
}

/**
 * Starts {@link keysConfig} in-process on the embedded store or a fresh
 * PostgreSQL database, and opens the store before returning (creating the
 * embedded one takes seconds under load, which is no test's subject).
 */
export async function startKeysStack(options: {
  postgres: boolean;
  masterKey: string;
  prices?: KeysConfigOptions['prices'];
  /** Where the proxy logs (default: nowhere). */
  logger?: Logger;
  /** More `general_settings`. */
  general?: Record<string, unknown>;
}): Promise<KeysStack> {
  const vllm = await startVllmEmulator({ model: 'facebook/opt-125m' });
  const db = options.postgres ? await freshDatabase() : undefined;
  const dataDir = await tempDir();
  const start = async () => {
    const { config } = parseConfig(
      keysConfig({
        upstream: vllm.url,
        databaseUrl: db?.url,
        dataDir,
        masterKey: options.masterKey,
        prices: options.prices,
        general: options.general,
      }),
      { env: {} },
    );
    const proxy = await startProxy({
      config,
      host: '127.0.0.1',
      port: 0,
      logger: options.logger ?? createLogger({ level: 'silent' }),
    });
    await proxy.keys!.db();
    return proxy;
  };
  let proxy: RunningProxy | undefined = await start();
  const stack: KeysStack = {
    proxy,
    vllm,
    dataDir,
    databaseUrl: db?.url,
    async stopProxy() {
      await proxy?.close();
      proxy = undefined;
    },
    async restart() {
      await proxy?.close();
      proxy = await start();
      stack.proxy = proxy;
      return proxy;
    },
    async close() {
      await proxy?.close();
      await vllm.close();
      await db?.drop();
    },
  };
  return stack;
}
