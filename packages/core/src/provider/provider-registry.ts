import { BadRequestError } from '../errors/bad-request-error';
import { installHint, isMissingPackage } from '../util/missing-package';
import type { Provider } from './provider';
import { isProvider, providersFromModule } from './provider-module';

/** Where a built-in provider lives: prefix → npm package. */
export const BUILTIN_PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  hosted_vllm: '@switchyard/provider-vllm',
  vllm: '@switchyard/provider-vllm',
  triton: '@switchyard/provider-triton',
};

/**
 * Imports a package by name. It is a parameter because module resolution
 * starts from the importing file: under pnpm's strict layout only a package
 * that declares the provider (the SDK, the proxy) can see it, so they pass
 * their own `name => import(name)`.
 */
export type PackageImporter = (packageName: string) => Promise<unknown>;

/** Options for a {@link ProviderRegistry}. */
export interface ProviderRegistryOptions {
  /** Prefix → package for providers imported on first use. */
  builtins?: Readonly<Record<string, string>>;
  /** How packages are imported; defaults to this module's own `import()`. */
  importer?: PackageImporter;
  /** A registry to consult after this one (an SDK instance falls back to the global one). */
  parent?: ProviderRegistry;
}

/** Finds providers by model prefix; imports built-in ones on first use. */
export class ProviderRegistry {
  readonly #providers = new Map<string, Provider>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #builtins: Readonly<Record<string, string>>;
  readonly #importer: PackageImporter;
  readonly #parent: ProviderRegistry | undefined;

  constructor(options: ProviderRegistryOptions = {}) {
    this.#builtins = options.builtins ?? BUILTIN_PROVIDER_PACKAGES;
    this.#importer = options.importer ?? (name => import(name));
    this.#parent = options.parent;
  }

  /** Adds (or replaces) a provider under its `id`. */
  register(provider: Provider): void {
    if (!isProvider(provider)) {
      throw new TypeError('registerProvider expects an object with a non-empty string `id`');
    }
    this.#providers.set(provider.id, provider);
  }

  /** The provider for a prefix if it is already registered or loaded (no import). */
  peek(prefix: string): Provider | undefined {
    return this.#providers.get(prefix) ?? this.#parent?.peek(prefix);
  }

  /** Prefixes that are registered, plus built-ins that can be imported. */
  known(): string[] {
    const names = new Set([...this.#providers.keys(), ...Object.keys(this.#builtins)]);
    for (const name of this.#parent?.known() ?? []) names.add(name);
    return [...names].sort();
  }

  /**
   * The provider for a prefix. A built-in is imported on first use; a missing
   * package raises a BadRequestError that names the command to install it.
   */
  async resolve(prefix: string): Promise<Provider> {
    const ready = this.peek(prefix);
    if (ready) return ready;
    const pkg = this.#builtins[prefix];
    if (pkg === undefined) {
      if (this.#parent) return this.#parent.resolve(prefix);
      throw new BadRequestError({
        message:
          `Unknown provider "${prefix}". Known providers: ${this.known().join(', ')}. ` +
          `Register others with registerProvider().`,
        param: 'model',
      });
    }
    await this.#load(pkg);
    const loaded = this.#providers.get(prefix);
    if (!loaded) {
      throw new BadRequestError({
        message: `Package ${pkg} was imported but exports no provider with id "${prefix}".`,
        param: 'model',
      });
    }
    return loaded;
  }

  async #load(pkg: string): Promise<void> {
    let pending = this.#loading.get(pkg);
    if (!pending) {
      pending = this.#importer(pkg).then(
        mod => {
          for (const provider of providersFromModule(mod)) {
            if (!this.#providers.has(provider.id)) this.register(provider);
          }
        },
        (cause: unknown) => {
          this.#loading.delete(pkg);
          throw missingPackageError(pkg, cause);
        },
      );
      this.#loading.set(pkg, pending);
    }
    await pending;
  }
}

function missingPackageError(pkg: string, cause: unknown): Error {
  if (isMissingPackage(cause, pkg)) {
    return new BadRequestError({
      message: `The provider package ${pkg} is not installed. ${installHint(pkg)}`,
      param: 'model',
      cause,
    });
  }
  return cause instanceof Error ? cause : new Error(String(cause));
}

/** The process-wide registry used when no other is given. */
export const globalProviderRegistry = new ProviderRegistry();

/** Adds a provider to the process-wide registry. */
export function registerProvider(provider: Provider): void {
  globalProviderRegistry.register(provider);
}
