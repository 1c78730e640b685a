/**
 * @switchyard/provider-triton — the `triton/` provider: NVIDIA Triton
 * Inference Server's `/generate`, `/generate_stream` and KServe v2 `/infer`
 * for chat and text completions, and embeddings, with the vLLM backend and
 * TensorRT-LLM ensemble parameter layouts.
 *
 * @packageDocumentation
 */

export {
  BackendDetector,
  backendFromConfig,
  configUrlOf,
  type DetectBackendOptions,
} from './backend-detection';
export {
  decodeInferResponse,
  decodeTensor,
  type InferOutputTensor,
  type InferResponseBody,
} from './binary-tensor';
export { splitEmbeddingByShape } from './embedding-response';
export { decideFinishReason, type FinishDecision } from './finish-reason';
export {
  type InferInputTensor,
  knownDatatype,
  type TritonDatatype,
  toInferTensor,
} from './tensor-types';
export { TRITON_PREFIX, tritonFailureMapper } from './triton-errors';
export {
  readTritonOptions,
  type TritonBackend,
  type TritonOptions,
  type TritonRoute,
} from './triton-options';
export {
  type CreateTritonProviderOptions,
  createTritonProvider,
  providers,
  type TritonProvider,
  tritonProvider,
} from './triton-provider';
export {
  type ResolvedTritonUrl,
  type ResolveTritonUrlOptions,
  resolveTritonUrl,
  type TritonEndpoint,
} from './triton-url';
