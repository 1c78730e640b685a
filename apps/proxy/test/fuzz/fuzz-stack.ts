import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../../src/index';
import { freshDatabase, keysConfig, tempDir } from '../keys-helpers';
import type { Callers } from './check-answer';
import { fuzzModels, makeFixtures } from './fixtures';
import type { FuzzFixtures } from './route-targets';

/** A keys proxy serving every kind of model, with what the fuzz's valid requests refer to. */
export interface FuzzStack {
  proxy: RunningProxy;
  keys: Callers;
  fixtures: FuzzFixtures;
  close(): Promise<void>;
}

const MASTER = 'sk-fuzz-master';

/**
 * {@link keysConfig} (priced `chat`, spend on) plus completion, embedding,
 * rerank and transcription deployments on the same vLLM emulator, on the
 * embedded store or a fresh PostgreSQL database; then a virtual key for
 * every model, a victim key, a user, a team and a stored response.
 */
export async function startFuzzStack(options: { postgres: boolean }): Promise<FuzzStack> {
  const vllm: VllmEmulator = await startVllmEmulator({ model: 'facebook/opt-125m' });
  const db = options.postgres ? await freshDatabase() : undefined;
  const raw = keysConfig({
    upstream: vllm.url,
    databaseUrl: db?.url,
    dataDir: await tempDir(),
    masterKey: MASTER,
  });
  (raw.model_list as unknown[]).push(...fuzzModels(vllm.url));
  const { config } = parseConfig(raw, { env: {} });
  const proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
  const close = async () => {
    await proxy.close();
    await vllm.close();
    await db?.drop();
  };
  try {
    const fixtures = await makeFixtures(proxy.url, MASTER);
    return { proxy, keys: { master: MASTER, virtual: fixtures.virtualKey }, fixtures, close };
  } catch (error) {
    await close();
    throw error;
  }
}
