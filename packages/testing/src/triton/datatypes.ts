/**
 * KServe v2 tensor datatypes as Triton names them on the wire, and the
 * model-config spelling (`TYPE_*`) used by `/config`.
 */
export const TRITON_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
  'BF16',
] as const;

/** One KServe v2 datatype name. */
export type TritonDatatype = (typeof TRITON_DATATYPES)[number];

/** Bytes per element for fixed-size types; BYTES elements are length-prefixed instead. */
export const ELEMENT_BYTE_SIZE: Record<Exclude<TritonDatatype, 'BYTES'>, number> = {
  BOOL: 1,
  UINT8: 1,
  UINT16: 2,
  UINT32: 4,
  UINT64: 8,
  INT8: 1,
  INT16: 2,
  INT32: 4,
  INT64: 8,
  FP16: 2,
  FP32: 4,
  FP64: 8,
  BF16: 2,
};

/** True when `value` is one of the datatype names Triton accepts. */
export function isTritonDatatype(value: unknown): value is TritonDatatype {
  return typeof value === 'string' && (TRITON_DATATYPES as readonly string[]).includes(value);
}

/** The model-config name of a datatype (`BYTES` is `TYPE_STRING` there). */
export function configDataType(datatype: TritonDatatype): string {
  return datatype === 'BYTES' ? 'TYPE_STRING' : `TYPE_${datatype}`;
}

/** Whether the datatype holds integers (signed or not), which JSON must give as whole numbers. */
export function isIntegerDatatype(datatype: TritonDatatype): boolean {
  return datatype.startsWith('INT') || datatype.startsWith('UINT');
}

/** Whether the datatype is unsigned. */
export function isUnsignedDatatype(datatype: TritonDatatype): boolean {
  return datatype.startsWith('UINT');
}
