import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  globalProviderRegistry,
  PROVIDER_EXPORT_HINT,
  type Provider,
  ProviderRegistry,
  providersFromModule,
} from '@switchyard/core';
import { ConfigError } from '../config/config-error';
import { localModulePath } from './local-module-path';

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
        ? pathToFileURL(localModulePath(resolve(options.baseDir, source), where)).href
        : source;
    let mod: unknown;
    try {
      mod = await import(specifier);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
      throw new ConfigError(
        missing
          ? `${where}: cannot find provider package "${source}". ${missingHint(source)}`
          : `${where}: importing provider package "${source}" failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const providers: Provider[] = providersFromModule(mod);
    if (providers.length === 0) {
      throw new ConfigError(`${where}: "${source}" exports no provider. ${PROVIDER_EXPORT_HINT}`);
    }
    for (const provider of providers) registry.register(provider);
    loaded.push({ source, ids: providers.map(p => p.id) });
  }
  return { registry, loaded };
}

/**
 * How to get a package that is not installed. The repository's examples
 * (`@switchyard/example-…`) are private and never published, so installing
 * them by name cannot work: they are built and listed by folder.
 */
function missingHint(source: string): string {
  if (source.startsWith(EXAMPLE_SCOPE)) {
    return (
      'It is an example kept in the Switchyard repository and is not published to npm: ' +
      `build it (pnpm --filter ${source} build) and list its folder instead ` +
      `(e.g. ./examples/${source.slice(EXAMPLE_SCOPE.length)}, relative to config.yaml).`
    );
  }
  return `Install it next to the proxy (npm install ${source}) or give a path to a local module or folder.`;
}

const EXAMPLE_SCOPE = '@switchyard/example-';

function isLocalPath(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || isAbsolute(source);
}
