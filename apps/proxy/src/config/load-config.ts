import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { configuredCallbacks, SERVED_CALLBACKS } from './callbacks';
import { ConfigError } from './config-error';
import { type ProxyConfig, proxyConfigSchema } from './config-schema';
import { resolveEnvRefs } from './env-refs';
import { formatConfigIssues } from './format-config-issues';
import { checkConfigKeys } from './unsupported-keys';

/** A validated config plus what start-up should report about it. */
export interface LoadedConfig {
  config: ProxyConfig;
  /** Paths of keys present in the file that Switchyard ignores for now. */
  unsupportedKeys: string[];
  /** The file it came from, when it came from one. */
  path?: string;
}

/** Options for {@link parseConfig}. */
export interface ParseConfigOptions {
  /**
   * Where `environment_variables` are written and `os.environ/NAME` is read.
   * Defaults to `process.env`, as LiteLLM does, so providers that read their
   * own variables (`HOSTED_VLLM_API_BASE`) see them too.
   */
  env?: Record<string, string | undefined>;
}

/** Reads and validates a config file (YAML or JSON). */
export async function loadConfigFile(
  path: string,
  options: ParseConfigOptions = {},
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { ...parseConfig(raw ?? {}, options), path };
}

/** Validates an already-parsed config object (what `config.yaml` holds). */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): LoadedConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(
      'config: expected a mapping with model_list, litellm_settings, … at the top level',
    );
  }
  // Keys first: a misspelt section would otherwise pass every other check.
  const keys = checkConfigKeys(raw);
  if (keys.unknown.length > 0) throw new ConfigError(keys.unknown.join('\n'));
  const env = options.env ?? process.env;
  const declared = (raw as { environment_variables?: unknown }).environment_variables;
  if (declared !== undefined && declared !== null) {
    const checked = proxyConfigSchema.shape.environment_variables.safeParse(declared, {
      reportInput: true,
    });
    if (!checked.success)
      throw new ConfigError(
        prefixPaths(formatConfigIssues(checked.error), 'environment_variables'),
      );
    for (const [key, value] of Object.entries(checked.data)) env[key] = String(value);
  }
  const resolved = resolveEnvRefs(raw, env);
  const result = proxyConfigSchema.safeParse(resolved, { reportInput: true });
  if (!result.success) throw new ConfigError(formatConfigIssues(result.error));
  // Callbacks other than the ones served are named once like any unsupported key.
  for (const { key, name } of configuredCallbacks(result.data)) {
    if (!SERVED_CALLBACKS.has(name)) keys.unsupported.push(`litellm_settings.${key}: ${name}`);
  }
  return { config: result.data, unsupportedKeys: keys.unsupported };
}

function prefixPaths(lines: string, prefix: string): string {
  return lines
    .split('\n')
    .map(line =>
      line.startsWith('(top level)') ? line.replace('(top level)', prefix) : `${prefix}.${line}`,
    )
    .join('\n');
}
