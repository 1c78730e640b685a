import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createLogger,
  type LoadedConfig,
  loadConfigFile,
  type RunningProxy,
  startProxy,
} from '../../src/index';
import { post } from '../helpers';
import { type ResolveAddress, type Rewritten, rewriteAddresses } from './doc-addresses';
import type { DocBlock } from './doc-blocks';

/** What a YAML block did. */
export interface YamlRun {
  rewritten: Rewritten;
  loaded: LoadedConfig;
  /** For a whole config: the request sent to its first model and the answer's status. */
  answered?: { path: string; model: string; status: number; body: unknown };
}

/** Options for {@link runYamlBlock}. */
export interface YamlRunOptions {
  block: DocBlock;
  resolve: ResolveAddress;
  /** A folder of its own for this block's config.yaml and data. */
  dir: string;
  /** Values for the block's `os.environ/NAME` references. */
  env: Record<string, string>;
  /** Load and validate only: the config needs what the tests do not have (a package, a CA file). */
  validateOnly: boolean;
}

/**
 * Loads a YAML block with the proxy's own loader, from a config.yaml file as
 * a user would. A whole config (one with `model_list`) is then started, on
 * an ephemeral port with its data in the block's folder, and its first
 * model answers one request through the proxy.
 */
export async function runYamlBlock(options: YamlRunOptions): Promise<YamlRun> {
  // A config that is only validated calls nothing: its addresses stay as written.
  const rewritten: Rewritten = options.validateOnly
    ? { code: options.block.code, services: new Set() }
    : rewriteAddresses(options.block.code, options.resolve);
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, 'config.yaml');
  await writeFile(path, rewritten.code);
  const loaded = await loadConfigFile(path, { env: options.env });
  const first = loaded.config.model_list?.[0];
  if (options.validateOnly || first === undefined) return { rewritten, loaded };
  loaded.config.general_settings = {
    ...loaded.config.general_settings,
    switchyard_data_dir: join(options.dir, 'data'),
  };
  let proxy: RunningProxy | undefined;
  try {
    proxy = await startProxy({
      config: loaded.config,
      baseDir: options.dir,
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
    });
    const key = loaded.config.general_settings?.master_key;
    const headers: Record<string, string> =
      typeof key === 'string' ? { authorization: `Bearer ${key}` } : {};
    const embedding = (first.model_info as { mode?: string } | undefined)?.mode === 'embedding';
    const path = embedding ? '/v1/embeddings' : '/v1/chat/completions';
    const body = embedding
      ? { model: first.model_name, input: ['hello'] }
      : { model: first.model_name, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 8 };
    const answer = await post(proxy.url, path, body, headers);
    return {
      rewritten,
      loaded,
      answered: { path, model: first.model_name, status: answer.status, body: answer.body },
    };
  } finally {
    await proxy?.close();
  }
}
