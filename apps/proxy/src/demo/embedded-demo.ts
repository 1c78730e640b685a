import { startTritonEmulator, startVllmEmulator } from '@switchyard/testing';
import type { DeploymentEntry, ProxyConfig } from '../config/config-schema';

/** Emulators started for `switchyard_demo:` and the deployments that point at them. */
export interface EmbeddedDemo {
  deployments: DeploymentEntry[];
  /** What runs where, for the start-up banner. */
  upstreams: Array<{ kind: 'vllm' | 'triton'; url: string }>;
  close(): Promise<void>;
}

type DemoSection = NonNullable<ProxyConfig['switchyard_demo']>;

const text = (value: unknown, fallback: string) =>
  typeof value === 'string' && value !== '' ? value : fallback;

/**
 * The zero-GPU first run: starts the vLLM and Triton emulators of
 * `@switchyard/testing` in this process on free loopback ports and returns
 * deployments for them, so `examples/demo.config.yaml` answers a newcomer's
 * first curl and first `openai` call. The emulators speak the real wire
 * formats, so the proxy path is exactly the production one.
 */
export async function startEmbeddedDemo(section: DemoSection): Promise<EmbeddedDemo> {
  const deployments: DeploymentEntry[] = [];
  const upstreams: EmbeddedDemo['upstreams'] = [];
  const closers: Array<() => Promise<void>> = [];
  try {
    if (section.vllm !== undefined) {
      const model = text(section.vllm.model, 'facebook/opt-125m');
      const vllm = await startVllmEmulator({ model });
      closers.push(() => vllm.close());
      upstreams.push({ kind: 'vllm', url: vllm.url });
      deployments.push({
        model_name: text(section.vllm.model_name, 'my-model'),
        litellm_params: { model: `hosted_vllm/${model}`, api_base: vllm.url },
        model_info: { mode: 'chat' },
      });
      deployments.push({
        model_name: text(section.vllm.embedding_model_name, 'my-embedding-model'),
        litellm_params: { model: `hosted_vllm/${model}`, api_base: vllm.url },
        model_info: { mode: 'embedding' },
      });
    }
    if (section.triton !== undefined) {
      // Named as its Hugging Face original, so the Llama 3 chat template applies.
      const model = text(section.triton.model, 'Meta-Llama-3-8B-Instruct');
      const triton = await startTritonEmulator({ models: [{ name: model, profile: 'vllm' }] });
      closers.push(() => triton.close());
      upstreams.push({ kind: 'triton', url: triton.url });
      deployments.push({
        model_name: text(section.triton.model_name, 'triton-llama'),
        // The backend is set, not detected: the answer leaves out the prompt and says why it stopped.
        litellm_params: { model: `triton/${model}`, api_base: triton.url, triton_backend: 'vllm' },
        model_info: { mode: 'chat' },
      });
    }
  } catch (error) {
    await Promise.allSettled(closers.map(close => close()));
    throw error;
  }
  return {
    deployments,
    upstreams,
    async close() {
      await Promise.allSettled(closers.map(close => close()));
    },
  };
}
