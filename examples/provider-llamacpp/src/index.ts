/**
 * An example third-party Switchyard provider for llama.cpp's server. Register
 * it with `registerProvider(llamaCppProvider)` in the SDK, or list this package
 * under `providers:` in the proxy's config.yaml.
 *
 * @packageDocumentation
 */
import { llamaCppProvider } from './llamacpp-provider';

export { llamaCppProvider };
/** What the proxy's `providers:` loader and the provider registry look for. */
export const providers = [llamaCppProvider];
