import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startTritonEmulator,
  startVllmEmulator,
  type TritonEmulator,
  type VllmEmulator,
} from '@switchyard/testing';
import {
  createLogger,
  loadConfigFile,
  parseConfig,
  type RunningProxy,
  startProxy,
} from '../../src/index';
import { addressesOf, type ResolveAddress } from './doc-addresses';
import { type DocBlock, REPO_ROOT } from './doc-blocks';

/**
 * What the documentation's blocks talk to, started once on loopback
 * ephemeral ports: vLLM emulators serving every model name the docs use
 * (one per vLLM host the docs name, so two deployments on two hosts stay
 * two), a Triton emulator with the docs' Triton models, a proxy whose
 * master key is the docs' `sk-1234` serving the docs' model names, and —
 * for the root README, whose quick start talks to `pnpm start` — the demo
 * configuration's proxy.
 */
export interface DocsWorld {
  /** The vLLM emulator behind the docs proxy (and `localhost:8000`). */
  vllm: VllmEmulator;
  triton: TritonEmulator;
  proxy: RunningProxy;
  /** Where the addresses of a block of `file` point. */
  resolverFor(file: string): ResolveAddress;
  /** A folder for the blocks' data (configs, embedded stores); removed by {@link DocsWorld.close}. */
  dir: string;
  /** Every request the emulators have logged so far (the proxy's reach them too). */
  requestCount(): number;
  close(): Promise<void>;
}

/** The key the docs write for a proxy's master key. */
export const DOCS_MASTER_KEY = 'sk-1234';

/** Model names (without prefix) the docs send to a vLLM server. */
const VLLM_MODELS = [
  'facebook/opt-125m',
  'gpt-oss-120b',
  'your-rerank-model',
  'qwen',
  'togethercomputer/LLaMA-2-7B-32K',
  'Qwen/Qwen3-8B',
  'Qwen/Qwen2.5-1.5B-Instruct',
  'meta-llama/Llama-3.1-8B-Instruct',
  'meta-llama/Meta-Llama-3-8B-Instruct',
  'BAAI/bge-small-en-v1.5',
  'some-model',
  'acme-7b',
];

/** The vLLM server a `host[:port]` stands for: localhost and 127.0.0.1 are one machine. */
function vllmHostKey(hostPort: string): string {
  return hostPort.replace(/^127\.0\.0\.1/, 'localhost');
}

const startVllm = () =>
  startVllmEmulator({
    model: 'facebook/opt-125m',
    servedModelName: VLLM_MODELS,
    reasoningParser: 'openai_gptoss',
  });

/** Starts the world the given blocks need. */
export async function startDocsWorld(blocks: readonly DocBlock[]): Promise<DocsWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-docs-'));
  const vllm = await startVllm();
  const vllmByHost = new Map<string, VllmEmulator>([['localhost:8000', vllm]]);
  for (const block of blocks) {
    for (const { hostPort, service } of addressesOf(block.code)) {
      const key = vllmHostKey(hostPort);
      if (service === 'vllm' && !vllmByHost.has(key)) vllmByHost.set(key, await startVllm());
    }
  }
  const triton = await startTritonEmulator({
    models: [
      // First: the one a bare `/generate` serves.
      { name: 'llama-3-8b-instruct', profile: 'trtllm' },
      { name: 'my-triton-model', profile: 'embedding' },
      // Decoupled (Triton's vLLM backend), so it streams.
      { name: 'qwen3-8b-vllm', profile: 'vllm' },
    ],
  });
  const proxy = await startDocsProxy(vllm, triton, dir);
  const demo = blocks.some(b => b.file === 'README.md') ? await startDemoProxy(dir) : undefined;
  const emulators = [...vllmByHost.values()];
  return {
    vllm,
    triton,
    proxy,
    dir,
    resolverFor: file => (service, hostPort) => {
      if (service === 'triton') return triton.url;
      if (service === 'proxy') return (file === 'README.md' && demo ? demo : proxy).url;
      return vllmByHost.get(vllmHostKey(hostPort))!.url;
    },
    requestCount: () =>
      emulators.reduce((sum, e) => sum + e.requests.entries.length, 0) +
      triton.requests.entries.length,
    async close() {
      await proxy.close();
      await demo?.close();
      await Promise.all(emulators.map(e => e.close()));
      await triton.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The proxy the package docs talk to at `localhost:4000`. */
async function startDocsProxy(vllm: VllmEmulator, triton: TritonEmulator, dir: string) {
  const vllmDeployment = (name: string, model: string, mode?: string) => ({
    model_name: name,
    litellm_params: { model: `hosted_vllm/${model}`, api_base: vllm.url },
    ...(mode ? { model_info: { mode } } : {}),
  });
  const { config } = parseConfig(
    {
      model_list: [
        vllmDeployment('my-model', 'facebook/opt-125m'),
        vllmDeployment('llama-3-8b', 'meta-llama/Meta-Llama-3-8B-Instruct'),
        vllmDeployment('llama', 'meta-llama/Llama-3.1-8B-Instruct'),
        vllmDeployment('embeddings', 'BAAI/bge-small-en-v1.5', 'embedding'),
        {
          model_name: 'triton-llama',
          litellm_params: { model: 'triton/llama-3-8b-instruct', api_base: triton.url },
        },
      ],
      general_settings: {
        master_key: DOCS_MASTER_KEY,
        switchyard_data_dir: join(dir, 'proxy-data'),
      },
    },
    { env: {} },
  );
  return startProxy({ config, host: '127.0.0.1', port: 0, logger: silent });
}

/** What `pnpm start` runs: the demo configuration, with its emulators in-process. */
async function startDemoProxy(dir: string) {
  const { config } = await loadConfigFile(join(REPO_ROOT, 'examples/demo.config.yaml'), {
    env: {},
  });
  config.general_settings = { ...config.general_settings, switchyard_data_dir: join(dir, 'demo') };
  return startProxy({ config, host: '127.0.0.1', port: 0, logger: silent });
}

const silent = createLogger({ level: 'silent' });
