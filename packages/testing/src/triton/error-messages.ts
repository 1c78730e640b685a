/**
 * Triton's error texts, kept verbatim in one place (sources: the server's
 * `http_server.cc`, core's `infer_request.cc` and model repository manager,
 * the vLLM backend). Clients match on these strings, so they must not drift.
 */
import { TritonError } from './triton-error';

/** The prefix core puts before request-validation errors. */
export function requestIdPrefix(requestId: string | undefined): string {
  return `[request id: ${requestId && requestId.length > 0 ? requestId : '<id_unknown>'}] `;
}

/** `Request for unknown model: 'foo' is not found` (404 without model namespacing). */
export function unknownModel(name: string): TritonError {
  return new TritonError('NOT_FOUND', `Request for unknown model: '${name}' is not found`);
}

/** A version that does not exist for a known model. */
export function unknownModelVersion(name: string, version: string): TritonError {
  return new TritonError(
    'NOT_FOUND',
    `Request for unknown model: '${name}' version ${version} is not found`,
  );
}

/** A known model without a ready version (inference routes). */
export function noAvailableVersions(name: string): TritonError {
  return new TritonError(
    'NOT_FOUND',
    `Request for unknown model: '${name}' has no available versions`,
  );
}

/** A loaded model that is not ready (`/ready`). */
export function modelVersionNotReady(): TritonError {
  return new TritonError('INVALID_ARG', 'Model version not ready');
}

/** `/infer` on a decoupled model. */
export function decoupledUnsupported(): TritonError {
  return new TritonError(
    'UNSUPPORTED',
    "HTTP end point doesn't support models with decoupled transaction policy",
  );
}

/** `/generate` when the model sent zero or several responses. */
export const GENERATE_EXACTLY_ONE =
  'generate expects model to produce exactly 1 response, use generate stream for model that generates various number of responses';

/** The input-count check of core's `ValidateRequestInputs`. */
export function inputCountMismatch(options: {
  model: string;
  requestId?: string;
  required: number;
  total: number;
  given: string[];
  missing: string[];
}): TritonError {
  const list = (names: string[]) => `[${names.map(n => `'${n}'`).join(', ')}]`;
  const expected =
    options.required === options.total
      ? `expected ${options.total} inputs`
      : `expected number of inputs between ${options.required} and ${options.total}`;
  return new TritonError(
    'INVALID_ARG',
    `${requestIdPrefix(options.requestId)}${expected} but got ${options.given.length} inputs for model '${options.model}'. Got input(s) ${list(options.given)}, but missing required input(s) ${list(options.missing)}. Please provide all required input(s).`,
  );
}

/** An input the model does not declare. */
export function unexpectedInput(options: {
  model: string;
  input: string;
  requestId?: string;
}): TritonError {
  return new TritonError(
    'INVALID_ARG',
    `${requestIdPrefix(options.requestId)}unexpected inference input '${options.input}' for model '${options.model}'`,
  );
}

/** A shape that does not fit the model's dims. */
export function unexpectedShape(options: {
  model: string;
  input: string;
  expected: number[];
  got: number[];
  requestId?: string;
}): TritonError {
  return new TritonError(
    'INVALID_ARG',
    `${requestIdPrefix(options.requestId)}unexpected shape for input '${options.input}' for model '${options.model}'. Expected [${options.expected.join(',')}], got [${options.got.join(',')}]`,
  );
}

/** A datatype that differs from the model's. */
export function datatypeMismatch(options: {
  model: string;
  input: string;
  expected: string;
  got: string;
  requestId?: string;
}): TritonError {
  return new TritonError(
    'INVALID_ARG',
    `${requestIdPrefix(options.requestId)}inference input '${options.input}' data-type is '${options.got}', but model '${options.model}' expects '${options.expected}'`,
  );
}

/** Which input of which request holds how much against how much was expected. */
export interface PayloadMismatch {
  model: string;
  input: string;
  expected: number;
  got: number;
  requestId?: string;
}

/** Binary data of a fixed-size type that does not fill the input's shape (core). */
export function byteSizeMismatch(options: PayloadMismatch): TritonError {
  return new TritonError(
    'INVALID_ARG',
    `${requestIdPrefix(options.requestId)}input byte size mismatch for input '${options.input}' for model '${options.model}'. Expected ${options.expected}, got ${options.got}`,
  );
}

/**
 * A BYTES input with more or fewer strings than its shape holds (core's
 * `ValidateBytesInputs`: too many stops at the first extra element).
 */
export function stringElementCount(options: PayloadMismatch): TritonError {
  const prefix = requestIdPrefix(options.requestId);
  const where = `for inference input '${options.input}' for model '${options.model}'`;
  return new TritonError(
    'INVALID_ARG',
    options.got > options.expected
      ? `${prefix}unexpected number of string elements ${options.expected + 1} ${where}, expecting ${options.expected}`
      : `${prefix}expected ${options.expected} string elements ${where}, got ${options.got}`,
  );
}

/** JSON element of the wrong kind (TritonJson's accessors). */
export const JSON_NOT_BOOL = 'attempt to access JSON non-boolean as boolean';
export const JSON_NOT_STRING = 'attempt to access JSON non-string as string';
export const JSON_NOT_INT = 'attempt to access JSON non-signed-integer as signed-integer';
export const JSON_NOT_UINT = 'attempt to access JSON non-unsigned-integer as unsigned-integer';
export const JSON_NOT_NUMBER = 'attempt to access JSON non-number as double';

/**
 * JSON `data` of a numeric type whose element count differs from the shape:
 * the HTTP frontend's own check, an INTERNAL error (status 500) in Triton
 * 2.61 (`http_server.cc` `ReadDataFromJson`); binary and BYTES data are
 * checked by core instead, as invalid arguments (400).
 */
export const DATA_SHAPE_MISMATCH =
  "Unable to parse 'data': Shape does not match true shape of 'data' field";
