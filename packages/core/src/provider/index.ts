export { type ParsedModel, parseModel } from './parse-model';
export type {
  CallContext,
  Provider,
  ProviderOperation,
  ProviderResponse,
  ProviderStream,
} from './provider';
export {
  BUILTIN_PROVIDER_PACKAGES,
  globalProviderRegistry,
  isProvider,
  type PackageImporter,
  ProviderRegistry,
  type ProviderRegistryOptions,
  providersFromModule,
  registerProvider,
} from './provider-registry';
