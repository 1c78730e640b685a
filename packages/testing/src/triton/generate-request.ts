/**
 * The generate extension's request mapping: each top-level key that names a
 * model input becomes that tensor (datatype and shape from the metadata),
 * any other key becomes a request parameter, and `parameters` holds more of
 * both. Error texts follow the server's `http_server.cc`.
 */

import type { InferenceRequest, ParameterValue } from './inference-request';
import { topLevelKeys } from './json-keys';
import type { ModelDefinition } from './model-definition';
import {
  elementCount,
  metadataShape,
  reshapeForGenerate,
  type Tensor,
  type TensorElement,
} from './tensor';
import { jsonElement } from './tensor-json';
import { TritonError } from './triton-error';

/** Parses a `/generate` or `/generate_stream` body for `model`. */
export function parseGenerateRequest(model: ModelDefinition, raw: Buffer): InferenceRequest {
  const text = raw.toString('utf8');
  let body: unknown = {};
  if (text.trim().length > 0) {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new TritonError(
        'INVALID_ARG',
        `failed to parse the request JSON buffer: ${(error as Error).message}`,
      );
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new TritonError(
      'INVALID_ARG',
      'failed to parse the request JSON buffer: not a JSON object',
    );
  }
  const request: InferenceRequest = { inputs: new Map(), parameters: {} };
  const values = body as Record<string, unknown>;
  const seen = new Set<string>();
  for (const key of text.trim().length > 0 ? topLevelKeys(text) : []) {
    if (seen.has(key)) {
      if (model.inputs.some(spec => spec.name === key)) {
        throw new TritonError('INVALID_ARG', `input '${key}' already exists in request`);
      }
      continue;
    }
    seen.add(key);
    const value = values[key];
    if (key === 'parameters') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new TritonError('INVALID_ARG', "Expected JSON object for keyword: 'parameters'");
      }
      for (const [innerKey, innerValue] of Object.entries(value)) {
        try {
          mapKey(model, request, innerKey, innerValue);
        } catch (error) {
          if (!TritonError.isInstance(error)) throw error;
          throw new TritonError(error.code, `Converting keyword: 'parameters': ${error.message}`);
        }
      }
      continue;
    }
    if (key === 'id') {
      if (typeof value !== 'string') {
        throw new TritonError('INVALID_ARG', "Expected JSON string for keyword: 'id'");
      }
      if (value.length > 0) request.id = value;
      continue;
    }
    mapKey(model, request, key, value);
  }
  return request;
}

function mapKey(
  model: ModelDefinition,
  request: InferenceRequest,
  key: string,
  value: unknown,
): void {
  const spec = model.inputs.find(s => s.name === key);
  if (!spec) {
    request.parameters[key] = toParameter(key, value);
    return;
  }
  if (request.inputs.has(key)) {
    throw new TritonError('INVALID_ARG', `input '${key}' already exists in request`);
  }
  const values = Array.isArray(value) ? value : [value];
  const data: TensorElement[] = [];
  for (const item of values) {
    const element = jsonElement(spec.datatype, item);
    if (!element.ok) throw new TritonError('INVALID_ARG', element.message);
    data.push(element.value);
  }
  const expected = metadataShape(spec, model.maxBatchSize);
  const shape = reshapeForGenerate(expected, data.length);
  if (elementCount(shape) !== data.length) {
    // The generate frontend's own check (`http_server.cc`), before core sees the request.
    throw new TritonError(
      'INVALID_ARG',
      `The schema can not convert input '${key}' to tensor with proper shape`,
    );
  }
  const tensor: Tensor = { name: key, datatype: spec.datatype, shape, data };
  request.inputs.set(key, tensor);
}

function toParameter(key: string, value: unknown): ParameterValue {
  if (key.startsWith('triton_')) {
    throw new TritonError(
      'INVALID_ARG',
      `parameter keys starting with 'triton_' are reserved for Triton usage and should not be specified.`,
    );
  }
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
    return value;
  }
  throw new TritonError(
    'INVALID_ARG',
    `parameter '${key}' has invalid type. It should be either 'int', 'bool', or 'string'.`,
  );
}
