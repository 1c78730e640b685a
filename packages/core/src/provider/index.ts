export type {
  Provider,
  ProviderOperation,
  CallContext,
  ProviderResponse,
  ProviderStream,
} from './provider';
export { parseModel, type ParsedModel } from './parse-model';
export {
  ProviderRegistry,
  globalProviderRegistry,
  registerProvider,
  providersFromModule,
  isProvider,
  BUILTIN_PROVIDER_PACKAGES,
  type PackageImporter,
  type ProviderRegistryOptions,
} from './provider-registry';
