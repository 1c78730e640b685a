/**
 * The binary tensor data extension: a JSON header followed by raw
 * little-endian row-major tensor bytes; BYTES elements are each a 4-byte
 * little-endian length and the UTF-8 bytes; BOOL is one byte.
 */
import { ELEMENT_BYTE_SIZE, type TritonDatatype } from './datatypes';
import type { TensorElement } from './tensor';
import { TritonError } from './triton-error';

/** Header naming the JSON part's length in a binary request or response. */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';

/** Splits a binary-extension body into its JSON header text and the raw tail. */
export function splitBinaryBody(
  body: Buffer,
  headerLength: number,
): { header: string; tail: Buffer } {
  if (!Number.isInteger(headerLength) || headerLength < 0 || headerLength > body.length) {
    throw new TritonError(
      'INVALID_ARG',
      `Inference-Header-Content-Length ${headerLength} is outside the request body of ${body.length} bytes`,
    );
  }
  return {
    header: body.subarray(0, headerLength).toString('utf8'),
    tail: body.subarray(headerLength),
  };
}

/** Decodes raw bytes into elements of `datatype`. */
export function decodeBinaryTensor(options: {
  name: string;
  datatype: TritonDatatype;
  bytes: Buffer;
}): TensorElement[] {
  const { datatype, bytes } = options;
  if (datatype === 'BYTES') return decodeBytesElements(options.name, bytes);
  const size = ELEMENT_BYTE_SIZE[datatype];
  if (bytes.length % size !== 0) {
    throw new TritonError(
      'INVALID_ARG',
      `unexpected binary data size ${bytes.length} for input '${options.name}' of type ${datatype}`,
    );
  }
  const out: TensorElement[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    out.push(readElement(datatype, bytes, offset));
  }
  return out;
}

/** Encodes elements of `datatype` into raw bytes. */
export function encodeBinaryTensor(
  datatype: TritonDatatype,
  data: readonly TensorElement[],
): Buffer {
  if (datatype === 'BYTES') {
    const parts: Buffer[] = [];
    for (const element of data) {
      const text = Buffer.from(String(element), 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length, 0);
      parts.push(length, text);
    }
    return Buffer.concat(parts);
  }
  const size = ELEMENT_BYTE_SIZE[datatype];
  const out = Buffer.alloc(size * data.length);
  for (const [i, element] of data.entries()) writeElement(datatype, out, i * size, element);
  return out;
}

function decodeBytesElements(name: string, bytes: Buffer): string[] {
  const out: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) {
      throw new TritonError('INVALID_ARG', `truncated BYTES element length for input '${name}'`);
    }
    const length = bytes.readUInt32LE(offset);
    offset += 4;
    if (offset + length > bytes.length) {
      throw new TritonError('INVALID_ARG', `truncated BYTES element for input '${name}'`);
    }
    out.push(bytes.subarray(offset, offset + length).toString('utf8'));
    offset += length;
  }
  return out;
}

function readElement(
  datatype: Exclude<TritonDatatype, 'BYTES'>,
  b: Buffer,
  at: number,
): TensorElement {
  switch (datatype) {
    case 'BOOL':
      return b.readUInt8(at) !== 0;
    case 'UINT8':
      return b.readUInt8(at);
    case 'UINT16':
      return b.readUInt16LE(at);
    case 'UINT32':
      return b.readUInt32LE(at);
    case 'UINT64':
      return Number(b.readBigUInt64LE(at));
    case 'INT8':
      return b.readInt8(at);
    case 'INT16':
      return b.readInt16LE(at);
    case 'INT32':
      return b.readInt32LE(at);
    case 'INT64':
      return Number(b.readBigInt64LE(at));
    case 'FP16':
      return halfToNumber(b.readUInt16LE(at));
    case 'BF16':
      return bfloat16ToNumber(b.readUInt16LE(at));
    case 'FP32':
      return b.readFloatLE(at);
    case 'FP64':
      return b.readDoubleLE(at);
  }
}

function writeElement(
  datatype: Exclude<TritonDatatype, 'BYTES'>,
  b: Buffer,
  at: number,
  element: TensorElement,
): void {
  const n = typeof element === 'boolean' ? (element ? 1 : 0) : Number(element);
  switch (datatype) {
    case 'BOOL':
      b.writeUInt8(n !== 0 ? 1 : 0, at);
      return;
    case 'UINT8':
      b.writeUInt8(n, at);
      return;
    case 'UINT16':
      b.writeUInt16LE(n, at);
      return;
    case 'UINT32':
      b.writeUInt32LE(n, at);
      return;
    case 'UINT64':
      b.writeBigUInt64LE(BigInt(Math.trunc(n)), at);
      return;
    case 'INT8':
      b.writeInt8(n, at);
      return;
    case 'INT16':
      b.writeInt16LE(n, at);
      return;
    case 'INT32':
      b.writeInt32LE(n, at);
      return;
    case 'INT64':
      b.writeBigInt64LE(BigInt(Math.trunc(n)), at);
      return;
    case 'FP16':
      b.writeUInt16LE(numberToHalf(n), at);
      return;
    case 'BF16':
      b.writeUInt16LE(numberToBfloat16(n), at);
      return;
    case 'FP32':
      b.writeFloatLE(n, at);
      return;
    case 'FP64':
      b.writeDoubleLE(n, at);
      return;
  }
}

const scratch = new DataView(new ArrayBuffer(4));

// Node 20 has no Float16Array, so half floats are converted by hand.
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function numberToHalf(value: number): number {
  scratch.setFloat32(0, value);
  const x = scratch.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (Number.isNaN(value)) return 0x7e00;
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    return sign | ((mantissa | 0x800000) >> (14 - exponent));
  }
  return sign | (exponent << 10) | (mantissa >> 13);
}

function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function numberToBfloat16(value: number): number {
  scratch.setFloat32(0, value);
  return scratch.getUint32(0) >>> 16;
}
