/**
 * @switchyard/provider-vllm — the `hosted_vllm/` provider: vLLM's
 * OpenAI-compatible server for chat and text completions (plain and
 * streaming), embeddings, rerank and audio transcriptions.
 *
 * @packageDocumentation
 */

export { type InBandContext, vllmFailureMapper, vllmInBandError } from './errors/vllm-error-mapper';
export { ENV_API_BASE, ENV_API_KEY, PLACEHOLDER_API_KEY } from './resolve-connection';
export {
  createVllmProvider,
  hostedVllmProvider,
  providers,
  VLLM_PREFIX_DEPRECATION,
  type VllmProviderOptions,
  vllmProvider,
} from './vllm-provider';
export { endpointUrl, serverRoot, type VllmEndpoint } from './vllm-urls';
