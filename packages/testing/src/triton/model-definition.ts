/**
 * The static description of each emulated model: its tensors, batching,
 * transaction policy and platform — what metadata, `/config` and request
 * validation read.
 */

import { KSERVE_EXAMPLE_MODEL } from './example-models';
import type { TritonModelOptions, TritonProfile } from './model-options';
import type { TensorSpec } from './tensor';

/** A model's resolved definition. */
export interface ModelDefinition {
  name: string;
  version: string;
  profile: TritonProfile;
  platform: string;
  backend: string;
  maxBatchSize: number;
  decoupled: boolean;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

const bool = (name: string): TensorSpec => ({ name, datatype: 'BOOL', dims: [1], optional: true });

// vllm_backend model.py `_auto_complete_inputs_and_outputs`, in its order.
const VLLM_INPUTS: TensorSpec[] = [
  { name: 'text_input', datatype: 'BYTES', dims: [1] },
  { name: 'image', datatype: 'BYTES', dims: [-1], optional: true },
  bool('stream'),
  { name: 'sampling_parameters', datatype: 'BYTES', dims: [1], optional: true },
  bool('exclude_input_in_output'),
  bool('return_finish_reason'),
  bool('return_cumulative_logprob'),
  bool('return_logprobs'),
  bool('return_num_input_tokens'),
  bool('return_num_output_tokens'),
  { name: 'embedding_request', datatype: 'BYTES', dims: [1], optional: true },
];

const VLLM_OUTPUTS: TensorSpec[] = [
  { name: 'text_output', datatype: 'BYTES', dims: [-1] },
  { name: 'finish_reason', datatype: 'BYTES', dims: [-1] },
  { name: 'cumulative_logprob', datatype: 'FP32', dims: [-1] },
  { name: 'logprobs', datatype: 'BYTES', dims: [-1] },
  { name: 'num_input_tokens', datatype: 'UINT32', dims: [1] },
  { name: 'num_output_tokens', datatype: 'UINT32', dims: [-1] },
];

const opt = (name: string, datatype: TensorSpec['datatype'], dims = [1]): TensorSpec => ({
  name,
  datatype,
  dims,
  optional: true,
});

// TensorRT-LLM inflight_batcher_llm ensemble config.pbtxt (the commonly used subset).
const TRTLLM_INPUTS: TensorSpec[] = [
  { name: 'text_input', datatype: 'BYTES', dims: [1] },
  { name: 'max_tokens', datatype: 'INT32', dims: [1] },
  opt('bad_words', 'BYTES', [-1]),
  opt('stop_words', 'BYTES', [-1]),
  opt('exclude_input_in_output', 'BOOL'),
  opt('end_id', 'INT32'),
  opt('pad_id', 'INT32'),
  opt('top_k', 'INT32'),
  opt('top_p', 'FP32'),
  opt('temperature', 'FP32'),
  opt('length_penalty', 'FP32'),
  opt('repetition_penalty', 'FP32'),
  opt('min_tokens', 'INT32'),
  opt('presence_penalty', 'FP32'),
  opt('frequency_penalty', 'FP32'),
  opt('seed', 'UINT64'),
  opt('return_log_probs', 'BOOL'),
  opt('return_context_logits', 'BOOL'),
  opt('return_generation_logits', 'BOOL'),
  opt('return_num_input_tokens', 'BOOL'),
  opt('return_num_output_tokens', 'BOOL'),
  opt('beam_width', 'INT32'),
  opt('num_return_sequences', 'INT32'),
  opt('stream', 'BOOL'),
];

const TRTLLM_OUTPUTS: TensorSpec[] = [
  { name: 'text_output', datatype: 'BYTES', dims: [-1] },
  { name: 'cum_log_probs', datatype: 'FP32', dims: [-1] },
  { name: 'output_log_probs', datatype: 'FP32', dims: [-1, -1] },
  { name: 'context_logits', datatype: 'FP32', dims: [-1, -1] },
  { name: 'generation_logits', datatype: 'FP32', dims: [-1, -1, -1] },
  { name: 'batch_index', datatype: 'INT32', dims: [1] },
  { name: 'sequence_index', datatype: 'INT32', dims: [1] },
  { name: 'num_input_tokens', datatype: 'INT32', dims: [1] },
  { name: 'num_output_tokens', datatype: 'INT32', dims: [1] },
];

// The server QA suite's generate test model (qa/L0_http/generate_models/mock_llm).
const MOCK_LLM_INPUTS: TensorSpec[] = [
  { name: 'PROMPT', datatype: 'BYTES', dims: [1, 1] },
  { name: 'STREAM', datatype: 'BOOL', dims: [1, 1] },
  { name: 'input_ids', datatype: 'INT32', dims: [1, -1], optional: true },
];
const MOCK_LLM_OUTPUTS: TensorSpec[] = [{ name: 'TEXT', datatype: 'BYTES', dims: [1, -1] }];

/** Default embedding size (all-MiniLM-L6-v2's). */
export const DEFAULT_EMBEDDING_DIMENSIONS = 384;

function embeddingTensors(dimensions: number): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  return {
    inputs: [
      { name: 'input_text', datatype: 'BYTES', dims: [-1] },
      opt('embedding_request', 'BYTES'),
      opt('return_num_input_tokens', 'BOOL'),
      opt('return_num_output_tokens', 'BOOL'),
    ],
    outputs: [
      { name: 'embeddings', datatype: 'FP32', dims: [-1, dimensions] },
      { name: 'text_output', datatype: 'BYTES', dims: [-1] },
      { name: 'num_input_tokens', datatype: 'UINT32', dims: [1] },
      { name: 'num_output_tokens', datatype: 'UINT32', dims: [-1] },
    ],
  };
}

/** Resolves a model's options into its definition. */
export function defineModel(options: TritonModelOptions): ModelDefinition {
  const base = { name: options.name, version: options.version ?? '1', profile: options.profile };
  switch (options.profile) {
    case 'vllm':
      return {
        ...base,
        platform: 'vllm',
        backend: 'vllm',
        maxBatchSize: 0,
        decoupled: true,
        inputs: VLLM_INPUTS,
        outputs: VLLM_OUTPUTS,
      };
    case 'trtllm':
      return {
        ...base,
        platform: 'ensemble',
        backend: '',
        maxBatchSize: 64,
        decoupled: options.decoupled ?? false,
        inputs: TRTLLM_INPUTS,
        outputs: TRTLLM_OUTPUTS,
      };
    case 'mock_llm':
      return {
        ...base,
        platform: 'python',
        backend: 'python',
        maxBatchSize: 0,
        decoupled: true,
        inputs: MOCK_LLM_INPUTS,
        outputs: MOCK_LLM_OUTPUTS,
      };
    case 'embedding':
      return {
        ...base,
        platform: 'python',
        backend: 'python',
        maxBatchSize: 0,
        decoupled: false,
        ...embeddingTensors(options.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS),
      };
    case 'generic': {
      const spec = options.generic ?? KSERVE_EXAMPLE_MODEL;
      return {
        ...base,
        platform: spec.platform ?? 'python',
        backend: spec.platform ?? 'python',
        maxBatchSize: spec.maxBatchSize ?? 0,
        decoupled: false,
        inputs: spec.inputs,
        outputs: spec.outputs,
      };
    }
  }
}
