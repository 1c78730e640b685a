/**
 * The Triton Inference Server emulator: {@link startTritonEmulator} and its
 * option types, plus the pure helpers tests may reuse (binary tensor codec).
 */

export {
  decodeBinaryTensor as decodeTritonBinaryTensor,
  encodeBinaryTensor as encodeTritonBinaryTensor,
  INFERENCE_HEADER_CONTENT_LENGTH,
} from './binary-tensor';
export type { TritonDatatype } from './datatypes';
export {
  KSERVE_EXAMPLE_MODEL as TRITON_KSERVE_EXAMPLE_MODEL,
  SIMPLE_MODEL as TRITON_SIMPLE_MODEL,
} from './example-models';
export type { GenericModelSpec, TritonModelOptions, TritonProfile } from './model-options';
export type {
  Tensor as TritonTensor,
  TensorElement as TritonTensorElement,
  TensorSpec as TritonTensorSpec,
} from './tensor';
export { runTritonCli } from './triton-cli';
export {
  startTritonEmulator,
  type TritonEmulator,
  type TritonEmulatorOptions,
} from './triton-emulator';
