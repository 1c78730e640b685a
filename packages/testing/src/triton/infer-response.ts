/**
 * Builds an `/infer` response: JSON outputs, or — when any output is asked
 * for in binary — the JSON header plus raw bytes, with the header length in
 * `Inference-Header-Content-Length`.
 */
import { encodeBinaryTensor, INFERENCE_HEADER_CONTENT_LENGTH } from './binary-tensor';
import type { RequestedOutput } from './infer-request';
import type { ModelDefinition } from './model-definition';
import type { Tensor } from './tensor';
import { TritonError } from './triton-error';

/** A response ready to write. */
export interface EncodedInferResponse {
  body: Buffer;
  headers: Record<string, string>;
}

/** Encodes the model's outputs for the request. */
export function encodeInferResponse(options: {
  model: ModelDefinition;
  requestId?: string;
  outputs: Tensor[];
  requested?: RequestedOutput[];
  binaryDataOutput: boolean;
  parameters?: Record<string, unknown>;
}): EncodedInferResponse {
  const { model } = options;
  const selected: Array<{ tensor: Tensor; binary: boolean }> = [];
  if (options.requested) {
    for (const want of options.requested) {
      const tensor = options.outputs.find(t => t.name === want.name);
      if (!tensor) {
        throw new TritonError(
          'INVALID_ARG',
          `unexpected inference output '${want.name}' for model '${model.name}'`,
        );
      }
      selected.push({ tensor, binary: want.binary });
    }
  } else {
    for (const tensor of options.outputs)
      selected.push({ tensor, binary: options.binaryDataOutput });
  }
  const tails: Buffer[] = [];
  const outputs = selected.map(({ tensor, binary }) => {
    const base = { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape };
    if (!binary) return { ...base, data: tensor.data };
    const bytes = encodeBinaryTensor(tensor.datatype, tensor.data);
    tails.push(bytes);
    return { ...base, parameters: { binary_data_size: bytes.length } };
  });
  const header = {
    ...(options.requestId ? { id: options.requestId } : {}),
    model_name: model.name,
    model_version: model.version,
    ...(options.parameters && Object.keys(options.parameters).length > 0
      ? { parameters: options.parameters }
      : {}),
    outputs,
  };
  const json = Buffer.from(JSON.stringify(header));
  if (tails.length === 0) {
    return { body: json, headers: { 'content-type': 'application/json' } };
  }
  return {
    body: Buffer.concat([json, ...tails]),
    headers: {
      'content-type': 'application/octet-stream',
      [INFERENCE_HEADER_CONTENT_LENGTH]: String(json.length),
    },
  };
}
