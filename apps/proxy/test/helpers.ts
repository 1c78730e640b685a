import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { request } from 'undici';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';

/** A proxy in front of a vLLM and a Triton emulator, all on loopback ephemeral ports. */
export interface Stack {
  proxy: RunningProxy;
  vllm: VllmEmulator;
  triton: TritonEmulator;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests
type Json = any;

export const MASTER_KEY = 'sk-test-master-1234';

let stacks = 0;

/** Options for {@link startStack}. */
export interface StackOptions {
  masterKey?: string;
  /** Extra top-level config merged over the default. */
  extra?: Record<string, unknown>;
  vllm?: Parameters<typeof startVllmEmulator>[0];
  drainTimeoutMs?: number;
}

/**
 * Deployments: `chat` (vLLM), `text` (vLLM completions), `embed` (vLLM
 * embeddings), `rerank` (vLLM), `whisper` (vLLM transcription) and
 * `triton-chat` (Triton vLLM backend). Retries are off so a fault reaches
 * the client as is.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const vllm = await startVllmEmulator({ model: 'facebook/opt-125m', ...options.vllm });
  const triton = await startTritonEmulator({
    models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }],
  });
  const v = { model: 'hosted_vllm/facebook/opt-125m', api_base: vllm.url };
  const { config } = parseConfig(
    {
      model_list: [
        { model_name: 'chat', litellm_params: { ...v, api_key: 'sk-upstream-secret' } },
        { model_name: 'text', litellm_params: v, model_info: { mode: 'completion' } },
        { model_name: 'embed', litellm_params: v, model_info: { mode: 'embedding' } },
        { model_name: 'rerank', litellm_params: v, model_info: { mode: 'rerank' } },
        { model_name: 'whisper', litellm_params: v, model_info: { mode: 'audio_transcription' } },
        {
          model_name: 'triton-chat',
          litellm_params: { model: 'triton/llama-3-8b-instruct', api_base: triton.url },
        },
      ],
      litellm_settings: { num_retries: 0 },
      router_settings: { num_retries: 0 },
      ...options.extra,
      general_settings: {
        ...(options.masterKey ? { master_key: options.masterKey } : {}),
        // These tests are about routing; keys and spend have their own (test/keys-*.test.ts).
        disable_spend_logs: true,
        switchyard_data_dir: join(tmpdir(), `switchyard-test-${process.pid}-${++stacks}`),
        ...(options.extra?.general_settings as Record<string, unknown> | undefined),
      },
    },
    { env: {} },
  );
  const proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
    drainTimeoutMs: options.drainTimeoutMs,
  });
  return {
    proxy,
    vllm,
    triton,
    async close() {
      await proxy.close();
      await vllm.close();
      await triton.close();
    },
  };
}

/** JSON POST with optional key; returns status, headers and parsed body. */
export async function post(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: Json }> {
  const res = await request(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: parsed };
}

/** GET with optional headers; returns status, headers and the body (parsed when JSON). */
export async function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string>; body: Json }> {
  const res = await request(`${base}${path}`, { headers });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.statusCode, headers: res.headers as Record<string, string>, body: parsed };
}

export const auth = (key = MASTER_KEY) => ({ authorization: `Bearer ${key}` });
