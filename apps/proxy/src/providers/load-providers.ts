import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  globalProviderRegistry,
  type Provider,
  ProviderRegistry,
  providersFromModule,
} from '@switchyard/core';
import { ConfigError } from '../config/config-error';

/** Options for {@link createProviderRegistry}. */
export interface ProviderRegistryOptions {
  /** The config's `providers:` list: package names or paths (relative to `baseDir`). */
  packages: readonly string[];
  /** The directory of the config file; local paths are resolved from it. */
  baseDir: string;
}

/** What was registered, for the start-up report. */
export interface LoadedProviders {
  registry: ProviderRegistry;
  /** `package → provider ids`. */
  loaded: Array<{ source: string; ids: string[] }>;
}

/**
 * A provider registry for the proxy: the built-ins (imported on first use,
 * from the proxy's own location where they are dependencies) plus every
 * package the config lists under `providers:`, imported now so a missing
 * package or one that exports no provider stops start-up, not the first request.
 */
export async function createProviderRegistry(
  options: ProviderRegistryOptions,
): Promise<LoadedProviders> {
  const registry = new ProviderRegistry({
    importer: name => import(name),
    parent: globalProviderRegistry,
  });
  const loaded: LoadedProviders['loaded'] = [];
  for (const [index, source] of options.packages.entries()) {
    const where = `providers[${index}]`;
    const specifier = source.startsWith('file:')
      ? source
      : isLocalPath(source)
        ? pathToFileURL(resolve(options.baseDir, source)).href
        : source;
    let mod: unknown;
    try {
      mod = await import(specifier);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
      throw new ConfigError(
        missing
          ? `${where}: cannot find provider package "${source}". Install it next to the proxy (npm install ${source}) or give a path to a local module.`
          : `${where}: importing provider package "${source}" failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const providers: Provider[] = providersFromModule(mod);
    if (providers.length === 0) {
      throw new ConfigError(
        `${where}: "${source}" exports no provider. Export \`provider\`, \`providers\` (an array) or a default export: an object with a string \`id\` and its operations.`,
      );
    }
    for (const provider of providers) registry.register(provider);
    loaded.push({ source, ids: providers.map(p => p.id) });
  }
  return { registry, loaded };
}

function isLocalPath(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || isAbsolute(source);
}
