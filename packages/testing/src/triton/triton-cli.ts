/**
 * `switchyard-emulator triton --host 127.0.0.1 --port 8001 --model NAME:PROFILE …`:
 * runs a Triton emulator until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { readEmulatorTls, TLS_FLAGS, tlsUsage } from '../shared/server-tls';
import { SIMPLE_MODEL } from './example-models';
import type { TritonModelOptions, TritonProfile } from './model-options';
import { startTritonEmulator } from './triton-emulator';

const PROFILES: readonly TritonProfile[] = ['vllm', 'trtllm', 'embedding', 'generic', 'mock_llm'];

const USAGE = `Usage: switchyard-emulator triton [options]

Options:
  --host HOST                     interface to bind (default 127.0.0.1)
  --port PORT                     port (default 8000; 0 picks a free one)
  --model NAME:PROFILE            a model to serve; repeatable. Profiles: ${PROFILES.join(', ')}
                                  (vllm:embed serves an embedding model through the vLLM backend;
                                  generic is the KServe example model, generic:simple Triton's simple)
  --ttft-ms MS                    time to first token
  --tokens-per-second N           pace of later tokens
  --openai-restricted-api SPEC    "<api,…> <header> <value>"; repeatable
${tlsUsage(32)}  -h, --help                      show this help
`;

/** The `NAME:PROFILE:VARIANT` forms and what each adds to the model's options. */
const VARIANTS: Record<string, Partial<TritonModelOptions>> = {
  'vllm:embed': { task: 'embed' },
  'generic:simple': { generic: SIMPLE_MODEL },
};

/** Parses `NAME:PROFILE` or `NAME:PROFILE:VARIANT`. */
export function parseModelArg(value: string): TritonModelOptions {
  for (const [suffix, extra] of Object.entries(VARIANTS)) {
    if (value.endsWith(`:${suffix}`) && value.length > suffix.length + 1) {
      const name = value.slice(0, -suffix.length - 1);
      return { name, profile: suffix.split(':')[0] as TritonProfile, ...extra };
    }
  }
  const at = value.lastIndexOf(':');
  const name = at === -1 ? '' : value.slice(0, at);
  const profile = at === -1 ? '' : value.slice(at + 1);
  if (name.length === 0 || !(PROFILES as readonly string[]).includes(profile)) {
    throw new Error(
      `--model must be NAME:PROFILE with PROFILE one of ${PROFILES.join(', ')}; got "${value}"`,
    );
  }
  return { name, profile: profile as TritonProfile };
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

/** Runs `switchyard-emulator triton …`; resolves once the emulator stopped on a signal. */
export async function runTritonCli(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8000' },
      model: { type: 'string', multiple: true },
      'ttft-ms': { type: 'string' },
      'tokens-per-second': { type: 'string' },
      'openai-restricted-api': { type: 'string', multiple: true },
      ...TLS_FLAGS,
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const models = (values.model ?? []).map(parseModelArg);
  if (models.length === 0)
    throw new Error(`at least one --model NAME:PROFILE is needed\n\n${USAGE}`);
  const port = numberOption('port', values.port);
  if (port === undefined || !Number.isInteger(port) || port > 65535) {
    throw new Error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
  }
  const emulator = await startTritonEmulator({
    host: values.host,
    port,
    models,
    ttftMs: numberOption('ttft-ms', values['ttft-ms']),
    tokensPerSecond: numberOption('tokens-per-second', values['tokens-per-second']),
    openaiRestrictedApi: values['openai-restricted-api'],
    tls: readEmulatorTls({
      cert: values['tls-cert'],
      key: values['tls-key'],
      ca: values['tls-ca'],
    }),
  });
  process.stdout.write(`Triton emulator listening on ${emulator.url}\n`);
  for (const model of models) process.stdout.write(`  model ${model.name} (${model.profile})\n`);
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
  process.stdout.write('Triton emulator stopped\n');
}
