import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import { createLogger, parseConfig, type RunningProxy, startProxy } from '../src/index';

/** A proxy serving the Anthropic and Responses APIs over emulated vLLM and Triton. */
export interface ShapesStack {
  proxy: RunningProxy;
  vllm: VllmEmulator;
  triton: TritonEmulator;
  close(): Promise<void>;
}

let stacks = 0;

/**
 * Deployments: `vllm` (translated to chat), `vllm-native` (vLLM's own
 * `/v1/messages` and `/v1/responses`, by `model_info.supported_endpoints`)
 * and `triton` (Triton's vLLM backend, translated). The vLLM emulator runs
 * with a reasoning parser, so answers carry reasoning too.
 */
export async function startShapesStack(
  options: { masterKey?: string; general?: Record<string, unknown>; keys?: boolean } = {},
): Promise<ShapesStack> {
  const vllm = await startVllmEmulator({ model: 'qwen/qwen3-8b', reasoningParser: 'qwen3' });
  const triton = await startTritonEmulator({
    models: [{ name: 'llama-3-8b-instruct', profile: 'vllm' }],
  });
  const v = { model: 'hosted_vllm/qwen/qwen3-8b', api_base: vllm.url };
  const { config } = parseConfig(
    {
      model_list: [
        { model_name: 'vllm', litellm_params: v },
        {
          model_name: 'vllm-native',
          litellm_params: v,
          model_info: {
            supported_endpoints: ['/v1/messages', '/v1/responses', '/v1/chat/completions'],
          },
        },
        {
          model_name: 'triton',
          litellm_params: { model: 'triton/llama-3-8b-instruct', api_base: triton.url },
        },
      ],
      router_settings: { num_retries: 0 },
      general_settings: {
        ...(options.masterKey ? { master_key: options.masterKey } : {}),
        ...(options.keys ? {} : { disable_spend_logs: true }),
        switchyard_data_dir: join(tmpdir(), `switchyard-shapes-${process.pid}-${++stacks}`),
        ...options.general,
      },
    },
    { env: {} },
  );
  const proxy = await startProxy({
    config,
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
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
