import type { TritonDatatype } from './tensor-types';
import { unexpectedResponse } from './triton-errors';

/** One output tensor of a KServe v2 answer, with its data decoded to JSON values. */
export interface InferOutputTensor {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
  parameters?: Record<string, unknown>;
}

/** A KServe v2 `/infer` answer. */
export interface InferResponseBody {
  model_name?: string;
  model_version?: string;
  id?: string;
  outputs: InferOutputTensor[];
  [key: string]: unknown;
}

/** Input to {@link decodeInferResponse}. */
export interface DecodeInferResponseOptions {
  bytes: Uint8Array;
  /** Response headers, lower-cased. */
  headers: Record<string, string>;
  model: string;
}

const HEADER_LENGTH = 'inference-header-content-length';

/**
 * Decodes an `/infer` answer: plain JSON, or — with the binary tensor
 * extension (`Inference-Header-Content-Length`) — a JSON header followed by
 * the raw little-endian bytes of each output that has `binary_data_size`, in
 * output order. Binary outputs come back with `data` filled in, so callers
 * never see the difference.
 */
export function decodeInferResponse(options: DecodeInferResponseOptions): InferResponseBody {
  const { bytes, headers, model } = options;
  const declared = headers[HEADER_LENGTH];
  const headerLength = declared === undefined ? bytes.length : Number(declared);
  if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > bytes.length) {
    throw unexpectedResponse(
      `invalid ${HEADER_LENGTH} "${declared}" for a ${bytes.length}-byte body`,
      model,
      undefined,
    );
  }
  const text = new TextDecoder().decode(bytes.subarray(0, headerLength));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unexpectedResponse(`the infer answer is not JSON: ${text.slice(0, 200)}`, model, text);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw unexpectedResponse('the infer answer is not a JSON object', model, parsed);
  }
  const body = parsed as InferResponseBody;
  if (!Array.isArray(body.outputs)) return body;
  let offset = headerLength;
  for (const output of body.outputs) {
    const size = output.parameters?.binary_data_size;
    if (typeof size !== 'number') continue;
    if (offset + size > bytes.length) {
      throw unexpectedResponse(
        `binary output ${output.name} runs past the end of the body`,
        model,
        body,
      );
    }
    output.data = decodeTensor(
      output.datatype as TritonDatatype,
      bytes.subarray(offset, offset + size),
      model,
    );
    offset += size;
  }
  return body;
}

/** Decodes the raw bytes of one tensor (row-major, little-endian). */
export function decodeTensor(datatype: TritonDatatype, raw: Uint8Array, model: string): unknown[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = (width: number, get: (at: number) => unknown): unknown[] => {
    if (raw.byteLength % width !== 0) {
      throw unexpectedResponse(
        `${raw.byteLength} bytes is not a whole number of ${datatype} values`,
        model,
        undefined,
      );
    }
    const out: unknown[] = [];
    for (let at = 0; at < raw.byteLength; at += width) out.push(get(at));
    return out;
  };
  switch (datatype) {
    case 'BOOL':
      return read(1, at => view.getUint8(at) !== 0);
    case 'UINT8':
      return read(1, at => view.getUint8(at));
    case 'INT8':
      return read(1, at => view.getInt8(at));
    case 'UINT16':
      return read(2, at => view.getUint16(at, true));
    case 'INT16':
      return read(2, at => view.getInt16(at, true));
    case 'UINT32':
      return read(4, at => view.getUint32(at, true));
    case 'INT32':
      return read(4, at => view.getInt32(at, true));
    case 'UINT64':
      return read(8, at => Number(view.getBigUint64(at, true)));
    case 'INT64':
      return read(8, at => Number(view.getBigInt64(at, true)));
    case 'FP16':
      return read(2, at => halfToNumber(view.getUint16(at, true)));
    case 'BF16':
      return read(2, at => bfloatToNumber(view.getUint16(at, true)));
    case 'FP32':
      return read(4, at => view.getFloat32(at, true));
    case 'FP64':
      return read(8, at => view.getFloat64(at, true));
    case 'BYTES':
      return decodeBytes(raw, view, model);
    default:
      throw unexpectedResponse(`unknown tensor datatype ${String(datatype)}`, model, undefined);
  }
}

/** BYTES elements are each a 4-byte little-endian length followed by that many bytes. */
function decodeBytes(raw: Uint8Array, view: DataView, model: string): string[] {
  const decoder = new TextDecoder();
  const out: string[] = [];
  let at = 0;
  while (at < raw.byteLength) {
    if (at + 4 > raw.byteLength)
      throw unexpectedResponse('truncated BYTES element length', model, undefined);
    const length = view.getUint32(at, true);
    at += 4;
    if (at + length > raw.byteLength)
      throw unexpectedResponse('truncated BYTES element', model, undefined);
    out.push(decoder.decode(raw.subarray(at, at + length)));
    at += length;
  }
  return out;
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloatToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits << 16, false);
  return view.getFloat32(0, false);
}
