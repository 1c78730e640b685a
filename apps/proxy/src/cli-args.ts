import { parseArgs } from 'node:util';

/** The command line, after both spellings (`--num-workers`, `--num_workers`) were folded. */
export interface CliArgs {
  config?: string;
  port: number;
  /** Undefined when neither --host nor HOST says: 0.0.0.0, or 127.0.0.1 for a demo config. */
  host?: string;
  numWorkers: number;
  detailedDebug: boolean;
  model?: string;
  apiBase?: string;
  alias?: string;
  help: boolean;
  version: boolean;
}

export const USAGE = `switchyard — an OpenAI-compatible proxy for vLLM and Triton (reads LiteLLM's config.yaml)

Usage:
  switchyard --config config.yaml [--port 4000] [--host 0.0.0.0] [--num-workers N] [--detailed-debug]
  switchyard --model hosted_vllm/facebook/opt-125m --api-base http://localhost:8000 [--alias my-model]
  switchyard db migrate [--config config.yaml]   apply database migrations (keys and spend)

Options:
  -c, --config <file>     LiteLLM config.yaml (env CONFIG_FILE_PATH)
      --port <n>          port to listen on (env PORT, default 4000)
      --host <addr>       interface to bind (env HOST, default 0.0.0.0; 127.0.0.1 for the demo config)
      --num-workers <n>   worker processes sharing the port (env NUM_WORKERS, default 1)
      --detailed-debug    debug logs, including request bodies and upstream error text
  -m, --model <model>     serve one model with no config file
      --api-base <url>    its server URL
      --alias <name>      the name clients send (default: the model string)
  -v, --version           the installed version
  -h, --help              this text
`;

/** Thrown for a command line that cannot be used; the CLI prints it with the usage. */
export class UsageError extends Error {}

/** Parses the command line (LiteLLM's snake_case flags are accepted too). */
export function parseCliArgs(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string' },
        host: { type: 'string' },
        'num-workers': { type: 'string' },
        num_workers: { type: 'string' },
        'detailed-debug': { type: 'boolean' },
        detailed_debug: { type: 'boolean' },
        debug: { type: 'boolean' },
        model: { type: 'string', short: 'm' },
        'api-base': { type: 'string' },
        api_base: { type: 'string' },
        alias: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const str = (...keys: string[]) => {
    for (const key of keys) if (typeof values[key] === 'string') return values[key] as string;
    return undefined;
  };
  const int = (flag: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${flag}: expected an integer >= ${min}, got "${raw}"`);
    return n;
  };
  const args: CliArgs = {
    config: str('config') ?? env.CONFIG_FILE_PATH,
    port: int('port', str('port') ?? env.PORT, 4000, 0),
    host: str('host') ?? env.HOST,
    numWorkers: int('num-workers', str('num-workers', 'num_workers') ?? env.NUM_WORKERS, 1, 1),
    detailedDebug:
      values['detailed-debug'] === true || values.detailed_debug === true || values.debug === true,
    model: str('model'),
    apiBase: str('api-base', 'api_base'),
    alias: str('alias'),
    help: values.help === true,
    version: values.version === true,
  };
  if (!args.help && !args.version && args.config === undefined && args.model === undefined) {
    throw new UsageError('give --config <file> or --model <provider/model>');
  }
  if (args.config !== undefined && args.model !== undefined) {
    throw new UsageError(
      '--config and --model cannot be combined; put the model in the config file',
    );
  }
  return args;
}
