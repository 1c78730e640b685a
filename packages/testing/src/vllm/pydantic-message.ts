/**
 * Request-validation errors worded as vLLM ≥0.10 words them: pydantic's
 * error dicts, printed as Python would, under "N validation error(s):".
 */
import { VllmHttpError } from './vllm-errors';

/** One pydantic error. `loc` is the path below the body, e.g. ['messages', 0, 'role']. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  /** For value errors: the message of the ValueError. */
  valueError?: string;
}

/** Builds the 400 for one or more issues (type `Bad Request`, param = first location). */
export function validationError(issues: ValidationIssue[]): VllmHttpError {
  const lines = issues.map(formatIssue);
  const plural = issues.length === 1 ? 'error' : 'errors';
  return new VllmHttpError({
    status: 400,
    type: 'Bad Request',
    message: `${issues.length} validation ${plural}:\n  ${lines.join('\n  ')}`,
    param: issues[0] ? locString(issues[0].loc) : null,
  });
}

/** A validation error whose body is a bare text line (e.g. the media-type check). */
export function plainValidationError(text: string): VllmHttpError {
  return new VllmHttpError({
    status: 400,
    type: 'Bad Request',
    message: `1 validation error:\n  ${text}`,
    param: null,
  });
}

/** A model_validator ValueError at the body level (fixture 22). */
export function valueErrorIssue(message: string, body: unknown): ValidationIssue {
  return {
    type: 'value_error',
    loc: [],
    msg: `Value error, ${message}`,
    input: body,
    valueError: message,
  };
}

function locString(loc: (string | number)[]): string {
  return ['body', ...loc].join('.');
}

function formatIssue(issue: ValidationIssue): string {
  const parts = [
    `'type': ${pyRepr(issue.type)}`,
    `'loc': ${pyRepr(locString(issue.loc))}`,
    `'msg': ${pyRepr(issue.msg)}`,
    `'input': ${pyRepr(issue.input)}`,
  ];
  if (issue.valueError !== undefined) {
    parts.push(`'ctx': {'error': ValueError(${pyRepr(issue.valueError)})}`);
  }
  return `{${parts.join(', ')}}`;
}

/** Python's repr, with dicts summarised as vLLM does (`'<dict of N items>'`). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return pyString(`<dict of ${Object.keys(value as object).length} items>`);
}

function pyFloat(value: number): string {
  const text = String(value);
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

function pyString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote === "'" ? `'${escaped.replace(/'/g, "\\'")}'` : `"${escaped}"`;
}
