/** `switchyard-emulator vllm …`: runs the emulator until SIGINT or SIGTERM. */
import { parseArgs } from 'node:util';
import { readEmulatorTls, TLS_FLAGS, tlsUsage } from '../shared/server-tls';
import { startVllmEmulator } from './vllm-emulator';
import type { KvEventsOptions } from './vllm-kv-events';
import type { LoraModule } from './vllm-lora';

export const VLLM_USAGE = `Usage: switchyard-emulator vllm [options]

Runs a vLLM OpenAI-compatible server emulator (no GPU, deterministic output).

Options:
  --host HOST                 interface to bind (default 127.0.0.1)
  --port PORT                 port to bind (default 8000; 0 picks a free one)
  --model NAME                model path (default facebook/opt-125m)
  --served-model-name NAME    name clients use (repeatable; default the model path)
  --api-key KEY               require "Authorization: Bearer KEY" under /v1 (repeatable)
  --reasoning-parser NAME     answer chat with reasoning text
  --reasoning-field FIELD     reasoning | reasoning_content | both (default reasoning)
  --error-shape SHAPE         current (vLLM >= 0.10, default) | legacy (<= 0.9)
  --max-model-len N           context length (default 2048)
  --ttft-ms MS                time to first token
  --tokens-per-second N       pace of streamed tokens
  --max-num-seqs N            requests generating at once; more wait (default unlimited)
  --enable-prefix-caching     cache prompt blocks; hits cut the time to first token
  --block-size N              tokens per cached block (default 16)
  --num-gpu-blocks-override N blocks the prefix cache holds (default 8192)
  --kv-events-config JSON     publish KV events over ZeroMQ, as vLLM: e.g.
                              '{"enable_kv_cache_events":true,"publisher":"zmq",
                                "endpoint":"tcp://*:5557","replay_endpoint":"tcp://*:5558"}'
  --enable-prompt-tokens-details  report cached_tokens in usage
  --lora-modules NAME=PATH    serve a LoRA adapter as model NAME (repeatable; also
                              vLLM's JSON form '{"name":…,"path":…}')
  --allow-runtime-lora-updating  serve /v1/load_lora_adapter and /v1/unload_lora_adapter
                              (also when VLLM_ALLOW_RUNTIME_LORA_UPDATING is true or 1)
${tlsUsage(28)}  -h, --help                  show this help
`;

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** vLLM's `--kv-events-config` JSON, as the emulator's `kvEvents` option. */
function kvEventsConfig(value: string | undefined): KvEventsOptions | undefined {
  if (value === undefined) return undefined;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new Error(`--kv-events-config must be JSON, got "${value}"`);
  }
  if (config.enable_kv_cache_events !== true) return undefined;
  if (config.publisher !== undefined && config.publisher !== 'zmq') {
    throw new Error(`--kv-events-config: only the "zmq" publisher is emulated`);
  }
  const text = (key: string) =>
    typeof config[key] === 'string' ? (config[key] as string) : undefined;
  return {
    endpoint: text('endpoint') ?? 'tcp://*:5557',
    replayEndpoint: text('replay_endpoint') ?? null,
    topic: text('topic'),
    bufferSteps: typeof config.buffer_steps === 'number' ? config.buffer_steps : undefined,
  };
}

/** `--lora-modules` values: `name=path`, or vLLM's JSON `{"name", "path"}`. */
function loraModules(values: string[] | undefined): LoraModule[] | undefined {
  return values?.map(value => {
    if (value.trimStart().startsWith('{')) {
      let parsed: { name?: unknown; path?: unknown };
      try {
        parsed = JSON.parse(value) as typeof parsed;
      } catch {
        throw new Error(`--lora-modules: invalid JSON "${value}"`);
      }
      if (typeof parsed.name !== 'string' || typeof parsed.path !== 'string') {
        throw new Error(`--lora-modules: JSON needs "name" and "path" strings, got "${value}"`);
      }
      return { name: parsed.name, path: parsed.path };
    }
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) {
      throw new Error(`--lora-modules must be NAME=PATH, got "${value}"`);
    }
    return { name: value.slice(0, eq), path: value.slice(eq + 1) };
  });
}

/** vLLM reads `VLLM_ALLOW_RUNTIME_LORA_UPDATING` as true for "true" (any case) or "1". */
function runtimeLoraFromEnv(): boolean {
  const value = process.env.VLLM_ALLOW_RUNTIME_LORA_UPDATING?.toLowerCase();
  return value === 'true' || value === '1';
}

/** Runs the CLI; resolves once the emulator has shut down after a signal. */
export async function runVllmCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      model: { type: 'string', default: 'facebook/opt-125m' },
      'served-model-name': { type: 'string', multiple: true },
      'api-key': { type: 'string', multiple: true },
      'reasoning-parser': { type: 'string' },
      'reasoning-field': { type: 'string' },
      'error-shape': { type: 'string' },
      'max-model-len': { type: 'string' },
      'ttft-ms': { type: 'string' },
      'tokens-per-second': { type: 'string' },
      'max-num-seqs': { type: 'string' },
      'enable-prefix-caching': { type: 'boolean' },
      'block-size': { type: 'string' },
      'num-gpu-blocks-override': { type: 'string' },
      ...TLS_FLAGS,
      'kv-events-config': { type: 'string' },
      'enable-prompt-tokens-details': { type: 'boolean' },
      'lora-modules': { type: 'string', multiple: true },
      'allow-runtime-lora-updating': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(VLLM_USAGE);
    return;
  }
  const emulator = await startVllmEmulator({
    host: values.host,
    port: integer('port', values.port),
    model: values.model,
    servedModelName: values['served-model-name'],
    apiKey:
      values['api-key'] ?? (process.env.VLLM_API_KEY ? [process.env.VLLM_API_KEY] : undefined),
    reasoningParser: values['reasoning-parser'],
    reasoningField: oneOf('reasoning-field', values['reasoning-field'], [
      'reasoning',
      'reasoning_content',
      'both',
    ] as const),
    errorShape: oneOf('error-shape', values['error-shape'], ['current', 'legacy'] as const),
    maxModelLen: integer('max-model-len', values['max-model-len']),
    ttftMs: integer('ttft-ms', values['ttft-ms']),
    tokensPerSecond: integer('tokens-per-second', values['tokens-per-second']),
    maxNumSeqs: integer('max-num-seqs', values['max-num-seqs']),
    kvEvents: kvEventsConfig(values['kv-events-config']),
    enablePromptTokensDetails: values['enable-prompt-tokens-details'],
    lora: {
      modules: loraModules(values['lora-modules']),
      allowRuntimeUpdating: values['allow-runtime-lora-updating'] === true || runtimeLoraFromEnv(),
    },
    prefixCache: values['enable-prefix-caching']
      ? {
          blockSize: integer('block-size', values['block-size']),
          blocks: integer('num-gpu-blocks-override', values['num-gpu-blocks-override']),
        }
      : undefined,
    tls: readEmulatorTls({
      cert: values['tls-cert'],
      key: values['tls-key'],
      ca: values['tls-ca'],
    }),
  });
  process.stdout.write(`vLLM emulator listening on ${emulator.url} (model ${emulator.model})\n`);
  if (emulator.kvEvents) {
    const replay = emulator.kvEvents.replayEndpoint;
    process.stdout.write(
      `KV events on ${emulator.kvEvents.endpoint}${replay ? ` (replay ${replay})` : ''}\n`,
    );
  }
  await new Promise<void>(resolve => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await emulator.close();
  process.stdout.write('vLLM emulator stopped\n');
}
