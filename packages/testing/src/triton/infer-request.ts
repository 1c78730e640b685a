/**
 * Parses a KServe v2 `/infer` body: JSON tensors, or the binary tensor
 * extension (JSON header of `Inference-Header-Content-Length` bytes, then
 * each binary input's raw bytes in input order).
 */
import { decodeBinaryTensor, splitBinaryBody } from './binary-tensor';
import { ELEMENT_BYTE_SIZE, isTritonDatatype } from './datatypes';
import type { InferenceRequest, ParameterValue } from './inference-request';
import { elementCount, type Tensor } from './tensor';
import { decodeJsonData } from './tensor-json';
import { TritonError } from './triton-error';

/** Which outputs the client asked for, and whether each comes back binary. */
export interface RequestedOutput {
  name: string;
  binary: boolean;
}

/** A parsed `/infer` request. */
export interface ParsedInferRequest extends InferenceRequest {
  /** Undefined means "all outputs". */
  outputs?: RequestedOutput[];
  /** `parameters.binary_data_output`: every output binary unless it says otherwise. */
  binaryDataOutput: boolean;
}

const bad = (message: string) => new TritonError('INVALID_ARG', message);

/** Parses `raw`; `headerLength` is the `Inference-Header-Content-Length` value, if any. */
export function parseInferRequest(raw: Buffer, headerLength?: number): ParsedInferRequest {
  const { header, tail } =
    headerLength === undefined
      ? { header: raw.toString('utf8'), tail: Buffer.alloc(0) }
      : splitBinaryBody(raw, headerLength);
  let body: unknown;
  try {
    body = JSON.parse(header);
  } catch (error) {
    throw bad(`failed to parse the request JSON buffer: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad('failed to parse the request JSON buffer: not a JSON object');
  }
  const json = body as Record<string, unknown>;
  const request: ParsedInferRequest = {
    inputs: new Map(),
    parameters: {},
    binaryDataOutput: false,
  };
  if (typeof json.id === 'string' && json.id.length > 0) request.id = json.id;
  if (json.parameters !== undefined) {
    request.parameters = readParameters(json.parameters);
    request.binaryDataOutput = request.parameters.binary_data_output === true;
    delete request.parameters.binary_data_output;
  }
  if (!Array.isArray(json.inputs)) throw bad("Unable to parse 'inputs': expected an array");
  let offset = 0;
  for (const item of json.inputs) {
    const input = readInput(item, tail, offset);
    offset += input.consumed;
    if (request.inputs.has(input.tensor.name)) {
      throw bad(`input '${input.tensor.name}' already exists in request`);
    }
    request.inputs.set(input.tensor.name, input.tensor);
  }
  if (offset !== tail.length) {
    throw bad(
      `unexpected additional input data: ${tail.length - offset} bytes follow the declared binary inputs`,
    );
  }
  if (json.outputs !== undefined) {
    if (!Array.isArray(json.outputs)) throw bad("Unable to parse 'outputs': expected an array");
    request.outputs = json.outputs.map(output => readOutput(output, request.binaryDataOutput));
  }
  return request;
}

function readParameters(value: unknown): Record<string, ParameterValue> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad("Expected JSON object for keyword: 'parameters'");
  }
  const out: Record<string, ParameterValue> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('triton_')) {
      throw bad(
        `parameter keys starting with 'triton_' are reserved for Triton usage and should not be specified.`,
      );
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw bad(
        `parameter '${key}' has invalid type. It should be either 'int', 'bool', or 'string'.`,
      );
    }
    out[key] = v;
  }
  return out;
}

function readInput(
  item: unknown,
  tail: Buffer,
  offset: number,
): { tensor: Tensor; consumed: number } {
  if (typeof item !== 'object' || item === null)
    throw bad("Unable to parse 'inputs': expected objects");
  const input = item as Record<string, unknown>;
  if (typeof input.name !== 'string') throw bad("Unable to parse 'name': expected a string");
  const name = input.name;
  if (!isTritonDatatype(input.datatype)) {
    throw bad(`invalid datatype for input ${name}`);
  }
  const datatype = input.datatype;
  if (
    !Array.isArray(input.shape) ||
    !input.shape.every(d => typeof d === 'number' && Number.isInteger(d) && d >= 0)
  ) {
    throw bad(
      `Unable to parse 'shape' for input '${name}': expected an array of non-negative integers`,
    );
  }
  const shape = input.shape as number[];
  const params = input.parameters as Record<string, unknown> | undefined;
  const binarySize = params?.binary_data_size;
  if (binarySize !== undefined) {
    if (typeof binarySize !== 'number' || !Number.isInteger(binarySize) || binarySize < 0) {
      throw bad(`binary_data_size of input '${name}' must be a non-negative integer`);
    }
    if (offset + binarySize > tail.length) {
      throw bad(
        `unexpected size for input '${name}', expecting ${binarySize} bytes but only ${tail.length - offset} remain in the request body`,
      );
    }
    const bytes = tail.subarray(offset, offset + binarySize);
    return { tensor: binaryTensor({ name, datatype, shape, bytes }), consumed: binarySize };
  }
  if (input.data === undefined) throw bad(`Unable to parse 'data' for input '${name}': missing`);
  if (datatype === 'BF16') {
    throw bad(
      `receiving BF16 data via JSON is not supported. Please use the binary data format for input ${name}`,
    );
  }
  const data = decodeJsonData({ datatype, data: input.data, expectedCount: elementCount(shape) });
  return { tensor: { name, datatype, shape, data }, consumed: 0 };
}

/**
 * A binary input as core receives it: BYTES elements are decoded whatever
 * their count, fixed-size data that does not fill the shape keeps its byte
 * count for core's size check.
 */
function binaryTensor(options: {
  name: string;
  datatype: Tensor['datatype'];
  shape: number[];
  bytes: Buffer;
}): Tensor {
  const { name, datatype, shape, bytes } = options;
  if (datatype === 'BYTES') {
    return { name, datatype, shape, data: decodeBinaryTensor({ name, datatype, bytes }) };
  }
  if (bytes.length !== elementCount(shape) * ELEMENT_BYTE_SIZE[datatype]) {
    return { name, datatype, shape, data: [], byteSize: bytes.length };
  }
  return { name, datatype, shape, data: decodeBinaryTensor({ name, datatype, bytes }) };
}

function readOutput(item: unknown, binaryDefault: boolean): RequestedOutput {
  if (
    typeof item !== 'object' ||
    item === null ||
    typeof (item as { name?: unknown }).name !== 'string'
  ) {
    throw bad("Unable to parse 'outputs': each output needs a string 'name'");
  }
  const output = item as { name: string; parameters?: Record<string, unknown> };
  const binary = output.parameters?.binary_data;
  return { name: output.name, binary: typeof binary === 'boolean' ? binary : binaryDefault };
}
