/**
 * The generate extension's response mapping (`FinalizeResponse`): one flat
 * object with `id`, `model_name`, `model_version`, each response parameter
 * and each output tensor — one-element tensors as bare scalars, others as
 * flat arrays — with keys in sorted order as std::map writes them.
 */
import type { ParameterValue } from './inference-request';
import type { ModelDefinition } from './model-definition';
import type { Tensor } from './tensor';

/** One response of the model, before a frontend encodes it. */
export interface ModelResponse {
  outputs: Tensor[];
  /** Response parameters (the TRT-LLM ensemble's `sequence_*`). */
  parameters?: Record<string, ParameterValue>;
}

/** The flat JSON object `/generate` and `/generate_stream` send for one response. */
export function flattenGenerateResponse(options: {
  model: ModelDefinition;
  requestId?: string;
  response: ModelResponse;
}): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    model_name: options.model.name,
    model_version: options.model.version,
  };
  if (options.requestId) fields.id = options.requestId;
  for (const [key, value] of Object.entries(options.response.parameters ?? {})) fields[key] = value;
  for (const tensor of options.response.outputs) {
    fields[tensor.name] = tensor.data.length === 1 ? tensor.data[0] : [...tensor.data];
  }
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort(compareBytes)) sorted[key] = fields[key];
  return sorted;
}

// std::map<std::string> orders by bytes, so uppercase sorts before lowercase.
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
