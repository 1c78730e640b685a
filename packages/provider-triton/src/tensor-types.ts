import { BadRequestError } from '@switchyard/core';

/** A KServe v2 tensor datatype. */
export type TritonDatatype =
  | 'BOOL'
  | 'UINT8'
  | 'UINT16'
  | 'UINT32'
  | 'UINT64'
  | 'INT8'
  | 'INT16'
  | 'INT32'
  | 'INT64'
  | 'FP16'
  | 'FP32'
  | 'FP64'
  | 'BF16'
  | 'BYTES';

/** One input tensor of a KServe v2 `/infer` request (JSON form). */
export interface InferInputTensor {
  name: string;
  shape: number[];
  datatype: TritonDatatype;
  data: unknown[];
}

/**
 * Datatypes of the tensors LLM ensembles declare (TRT-LLM ensemble and the
 * vLLM backend). A parameter's type comes from here, not from the JS value:
 * `temperature: 1` is still FP32, `max_tokens` is INT32, flags are BOOL.
 */
const KNOWN: Readonly<Record<string, TritonDatatype>> = {
  text_input: 'BYTES',
  decoder_text_input: 'BYTES',
  sampling_parameters: 'BYTES',
  embedding_request: 'BYTES',
  image: 'BYTES',
  stop_words: 'BYTES',
  bad_words: 'BYTES',
  embedding_bias_words: 'BYTES',
  guided_decoding_guide_type: 'BYTES',
  guided_decoding_guide: 'BYTES',
  max_tokens: 'INT32',
  min_tokens: 'INT32',
  top_k: 'INT32',
  beam_width: 'INT32',
  num_return_sequences: 'INT32',
  end_id: 'INT32',
  pad_id: 'INT32',
  prompt_vocab_size: 'INT32',
  temperature: 'FP32',
  top_p: 'FP32',
  min_p: 'FP32',
  frequency_penalty: 'FP32',
  presence_penalty: 'FP32',
  repetition_penalty: 'FP32',
  length_penalty: 'FP32',
  embedding_bias_weights: 'FP32',
  seed: 'UINT64',
  lora_task_id: 'UINT64',
  prompt_table_extra_id: 'UINT64',
  stream: 'BOOL',
  ignore_eos: 'BOOL',
  exclude_input_in_output: 'BOOL',
  return_finish_reason: 'BOOL',
  return_cumulative_logprob: 'BOOL',
  return_logprobs: 'BOOL',
  return_log_probs: 'BOOL',
  return_context_logits: 'BOOL',
  return_generation_logits: 'BOOL',
  return_perf_metrics: 'BOOL',
  return_num_input_tokens: 'BOOL',
  return_num_output_tokens: 'BOOL',
};

const INTEGER_TYPES = new Set<TritonDatatype>([
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
]);

/** Input to {@link toInferTensor}. */
export interface ToInferTensorOptions {
  name: string;
  value: unknown;
  /** Datatypes that override the built-in table, by tensor name. */
  overrides?: Readonly<Record<string, TritonDatatype>>;
  /** Prepend a batch dimension of 1 (`[1, n]`), for models with `max_batch_size >= 1`. */
  batched?: boolean;
}

/**
 * Turns one named parameter into a typed `[n]` tensor. The type is the
 * parameter's own (see the table above); a name the table does not know is
 * typed from its value — boolean BOOL, integer INT32 (as LiteLLM does),
 * other numbers FP32, strings BYTES, objects BYTES holding their JSON.
 */
export function toInferTensor(options: ToInferTensorOptions): InferInputTensor {
  const { name, value } = options;
  const items = Array.isArray(value) ? value : [value];
  const datatype = options.overrides?.[name] ?? KNOWN[name] ?? guessDatatype(items);
  const data = items.map(item => coerce(name, datatype, item));
  return { name, shape: options.batched ? [1, data.length] : [data.length], datatype, data };
}

/** The datatype Switchyard uses for a parameter name, if it knows one. */
export function knownDatatype(name: string): TritonDatatype | undefined {
  return KNOWN[name];
}

function guessDatatype(items: readonly unknown[]): TritonDatatype {
  if (items.length > 0 && items.every(item => typeof item === 'boolean')) return 'BOOL';
  if (items.length > 0 && items.every(item => typeof item === 'number')) {
    return items.every(item => Number.isInteger(item)) ? 'INT32' : 'FP32';
  }
  return 'BYTES';
}

function coerce(name: string, datatype: TritonDatatype, item: unknown): unknown {
  if (datatype === 'BYTES') return typeof item === 'string' ? item : JSON.stringify(item);
  if (datatype === 'BOOL') {
    if (typeof item === 'boolean') return item;
    throw wrongType(name, datatype, 'true or false', item);
  }
  if (typeof item !== 'number' || !Number.isFinite(item)) {
    throw wrongType(name, datatype, 'a number', item);
  }
  if (INTEGER_TYPES.has(datatype) && !Number.isInteger(item)) {
    throw wrongType(name, datatype, 'an integer', item);
  }
  if (datatype.startsWith('UINT') && item < 0) {
    throw wrongType(name, datatype, 'a non-negative integer', item);
  }
  return item;
}

function wrongType(
  name: string,
  datatype: string,
  expected: string,
  got: unknown,
): BadRequestError {
  return new BadRequestError({
    message: `Invalid ${name}: Triton tensor ${name} is ${datatype}, so it needs ${expected}; got ${JSON.stringify(got)}`,
    param: name,
    provider: 'triton',
  });
}
