export { type ParsedModel, parseModel } from './parse-model';
export type {
  CallContext,
  NativeBody,
  Provider,
  ProviderOperation,
  ProviderResponse,
  ProviderStream,
  TokenCount,
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
