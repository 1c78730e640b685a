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
  implementsProvider,
  isProvider,
  PROVIDER_EXPORT_HINT,
  PROVIDER_OPERATIONS,
  providersFromModule,
} from './provider-module';
export {
  BUILTIN_PROVIDER_PACKAGES,
  globalProviderRegistry,
  type PackageImporter,
  ProviderRegistry,
  type ProviderRegistryOptions,
  registerProvider,
} from './provider-registry';
export { checkProviderResult, type ProviderResultCheck } from './provider-result';
