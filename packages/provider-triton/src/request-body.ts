import type { TritonRequestLayout } from './request-layout';
import { type InferInputTensor, type TritonDatatype, toInferTensor } from './tensor-types';

/** The flat JSON body of `/generate` and `/generate_stream`. */
export function generateBody(layout: TritonRequestLayout): Record<string, unknown> {
  const body: Record<string, unknown> = { ...layout.inputs };
  if (Object.keys(layout.parameters).length > 0) body.parameters = layout.parameters;
  return body;
}

/** A KServe v2 `/infer` request body. */
export interface InferRequestBody {
  inputs: InferInputTensor[];
  parameters?: Record<string, unknown>;
}

/** Input to {@link inferBody}. */
export interface InferBodyOptions {
  layout: TritonRequestLayout;
  /** Datatypes that override the built-in table, by tensor name. */
  tensorTypes?: Readonly<Record<string, TritonDatatype>>;
  /**
   * Shape every tensor `[1, n]`: a model with `max_batch_size >= 1` (every
   * TRT-LLM ensemble) declares a leading batch dimension and refuses `[n]`.
   */
  batched?: boolean;
  /** Ask for every output in the binary tensor extension (`binary_data_output`). */
  binaryOutput?: boolean;
}

/**
 * A KServe v2 `/infer` body: every input and parameter becomes a typed `[n]`
 * tensor, `text_input` first, then `max_tokens` when the layout has it (the
 * order LiteLLM's tests expect), then the rest. `stream` is left out: `/infer`
 * answers once.
 */
export function inferBody({
  layout,
  tensorTypes,
  batched,
  binaryOutput,
}: InferBodyOptions): InferRequestBody {
  const all: Record<string, unknown> = { ...layout.inputs, ...layout.parameters };
  const names = Object.keys(all).filter(name => name !== 'stream');
  const front = ['text_input', 'max_tokens'].filter(name => names.includes(name));
  const ordered = [...front, ...names.filter(name => !front.includes(name))];
  return {
    ...(binaryOutput ? { parameters: { binary_data_output: true } } : {}),
    inputs: ordered.map(name =>
      toInferTensor({
        name,
        value: all[name],
        batched: batched === true,
        ...(tensorTypes ? { overrides: tensorTypes } : {}),
      }),
    ),
  };
}
