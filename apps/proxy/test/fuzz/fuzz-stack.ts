import { startVllmEmulator, type VllmEmulator } from '@switchyard/testing';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../../src/index';
import { auth, post } from '../helpers';
import { freshDatabase, keysConfig, tempDir } from '../keys-helpers';
import type { Callers } from './check-answer';
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
  const v = { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url };
  (raw.model_list as unknown[]).push(
    { model_name: 'text', litellm_params: v, model_info: { mode: 'completion' } },
    { model_name: 'embed', litellm_params: v, model_info: { mode: 'embedding' } },
    { model_name: 'rerank', litellm_params: v, model_info: { mode: 'rerank' } },
    { model_name: 'whisper', litellm_params: v, model_info: { mode: 'audio_transcription' } },
  );
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
    const fixtures = await makeFixtures(proxy.url);
    return { proxy, keys: { master: MASTER, virtual: fixtures.virtualKey }, fixtures, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function makeFixtures(base: string): Promise<FuzzFixtures & { virtualKey: string }> {
  const ok = async (path: string, body: unknown, key = MASTER) => {
    const r = await post(base, path, body, auth(key));
    if (r.status !== 200)
      throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const team = await ok('/team/new', { team_alias: 'fuzzers' });
  const user = await ok('/user/new', { user_email: 'fuzzer@example.com', auto_create_key: false });
  const virtual = await ok('/key/generate', { key_alias: 'fuzzing', user_id: user.user_id });
  const victim = await ok('/key/generate', { key_alias: 'victim' });
  const respond = () =>
    ok('/v1/responses', { model: 'chat', input: 'hi', max_output_tokens: 2 }, virtual.key);
  const stored = await respond();
  const history = await respond();
  return {
    virtualKey: virtual.key,
    victimKey: victim.key,
    responseId: stored.id,
    historyId: history.id,
    userId: user.user_id,
    teamId: team.team_id,
  };
}
