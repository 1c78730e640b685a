import type { TritonDatatype } from './datatypes';

/** One element of a decoded tensor: numbers for numeric types, booleans for BOOL, strings for BYTES. */
export type TensorElement = number | boolean | string;

/** A decoded tensor: flat row-major elements plus the shape they fill. */
export interface Tensor {
  name: string;
  datatype: TritonDatatype;
  shape: number[];
  data: TensorElement[];
  /**
   * Bytes a binary input carried, when they did not fill its shape: core
   * refuses the request (`input byte size mismatch`) after its shape checks.
   */
  byteSize?: number;
}

/** A declared model input or output (the model config's `input`/`output` entry). */
export interface TensorSpec {
  name: string;
  datatype: TritonDatatype;
  /** Config dims, without the batch dimension a batching model adds. */
  dims: number[];
  /** Optional inputs may be left out of a request. */
  optional?: boolean;
}

/** Number of elements a shape holds (1 for a scalar shape `[]`). */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Model metadata shape of a spec: a batching model prepends `-1`. */
export function metadataShape(spec: TensorSpec, maxBatchSize: number): number[] {
  return maxBatchSize > 0 ? [-1, ...spec.dims] : [...spec.dims];
}

/** Whether a request shape fits a metadata shape (`-1` matches any size). */
export function shapeMatches(expected: readonly number[], got: readonly number[]): boolean {
  return expected.length === got.length && expected.every((dim, i) => dim === -1 || dim === got[i]);
}

/**
 * Shape a `/generate` value takes: fixed dims first, the innermost `-1`
 * takes whatever element count is left, other `-1`s become 1 (as Triton's
 * generate frontend reshapes flat JSON values).
 */
export function reshapeForGenerate(expected: readonly number[], count: number): number[] {
  const fixed = expected.reduce((product, dim) => (dim === -1 ? product : product * dim), 1);
  const innermost = expected.lastIndexOf(-1);
  return expected.map((dim, i) => {
    if (dim !== -1) return dim;
    return i === innermost ? Math.max(0, Math.floor(count / Math.max(1, fixed))) : 1;
  });
}

/** Builds a one-element or flat tensor for an output. */
export function tensor(
  name: string,
  datatype: TritonDatatype,
  data: TensorElement[],
  shape: number[] = [data.length],
): Tensor {
  return { name, datatype, shape, data };
}

/** The first element of an input, or undefined when it is absent or empty. */
export function firstElement(input: Tensor | undefined): TensorElement | undefined {
  return input?.data[0];
}
