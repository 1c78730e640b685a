import { request } from 'undici';
import type { FuzzFixtures } from './route-targets';

/**
 * The deployments the fuzz needs beside `keysConfig`'s priced `chat`: one
 * of each other kind, all on the same vLLM emulator.
 */
export function fuzzModels(upstream: string): Array<Record<string, unknown>> {
  const v = { model: 'hosted_vllm/facebook/opt-125m', api_base: upstream };
  return [
    { model_name: 'text', litellm_params: v, model_info: { mode: 'completion' } },
    { model_name: 'embed', litellm_params: v, model_info: { mode: 'embedding' } },
    { model_name: 'rerank', litellm_params: v, model_info: { mode: 'rerank' } },
    { model_name: 'whisper', litellm_params: v, model_info: { mode: 'audio_transcription' } },
  ];
}

/**
 * Makes, through the proxy's own API, what the valid requests refer to: a
 * team, a user, the virtual key the fuzz sends with, a victim key, and two
 * stored responses of the virtual key.
 */
export async function makeFixtures(
  base: string,
  master: string,
): Promise<FuzzFixtures & { virtualKey: string }> {
  const ok = async (path: string, body: unknown, key = master) => {
    const res = await request(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${path} answered ${res.statusCode}: ${text}`);
    return JSON.parse(text);
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
