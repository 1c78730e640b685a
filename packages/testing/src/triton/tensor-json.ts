/**
 * Reads the `data` of a KServe v2 JSON tensor: flat or nested row-major
 * arrays, each element checked against the datatype the way TritonJson
 * does, and the element count checked against the shape.
 */
import { isIntegerDatatype, isUnsignedDatatype, type TritonDatatype } from './datatypes';
import {
  DATA_SHAPE_MISMATCH,
  JSON_NOT_BOOL,
  JSON_NOT_INT,
  JSON_NOT_NUMBER,
  JSON_NOT_STRING,
  JSON_NOT_UINT,
} from './error-messages';
import type { TensorElement } from './tensor';
import { TritonError } from './triton-error';

/**
 * Converts one JSON value to a tensor element, or returns the TritonJson
 * message naming the expected kind.
 */
export function jsonElement(
  datatype: TritonDatatype,
  value: unknown,
): { ok: true; value: TensorElement } | { ok: false; message: string } {
  if (datatype === 'BOOL') {
    return typeof value === 'boolean' ? { ok: true, value } : { ok: false, message: JSON_NOT_BOOL };
  }
  if (datatype === 'BYTES') {
    return typeof value === 'string'
      ? { ok: true, value }
      : { ok: false, message: JSON_NOT_STRING };
  }
  if (isIntegerDatatype(datatype)) {
    const unsigned = isUnsignedDatatype(datatype);
    if (typeof value !== 'number' || !Number.isInteger(value) || (unsigned && value < 0)) {
      return { ok: false, message: unsigned ? JSON_NOT_UINT : JSON_NOT_INT };
    }
    return { ok: true, value };
  }
  return typeof value === 'number' ? { ok: true, value } : { ok: false, message: JSON_NOT_NUMBER };
}

/**
 * Flattens `data` (nested or flat) into elements of `datatype`. The HTTP
 * frontend sizes a numeric tensor from its shape, so a count that differs
 * is its own INTERNAL error (HTTP 500); a BYTES tensor is sized from the
 * data itself, so its count is left to core's check (HTTP 400).
 */
export function decodeJsonData(options: {
  datatype: TritonDatatype;
  data: unknown;
  expectedCount: number;
}): TensorElement[] {
  const out: TensorElement[] = [];
  const sized = options.datatype !== 'BYTES';
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (sized && out.length >= options.expectedCount) {
      throw new TritonError('INTERNAL', DATA_SHAPE_MISMATCH);
    }
    const element = jsonElement(options.datatype, value);
    if (!element.ok)
      throw new TritonError('INTERNAL', `Unable to parse 'data': ${element.message}`);
    out.push(element.value);
  };
  visit(options.data);
  if (sized && out.length !== options.expectedCount) {
    throw new TritonError('INTERNAL', DATA_SHAPE_MISMATCH);
  }
  return out;
}
