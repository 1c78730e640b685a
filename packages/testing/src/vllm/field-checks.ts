/**
 * Type checks of request fields, reporting pydantic's error types and
 * messages so validation failures read like vLLM's.
 */
import type { ValidationIssue } from './pydantic-message';

/** The types request fields can have. */
export type FieldKind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'dict' | 'stringOrList';

/** One field's rule: its type, and whether it must be present. Null is always allowed for optional fields. */
export interface FieldRule {
  kind: FieldKind;
  required?: boolean;
}

/** Checks `body` against `rules`; returns every issue found, in field order. */
export function checkFields(
  body: Record<string, unknown>,
  rules: Record<string, FieldRule>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = body[name];
    if (value === undefined || value === null) {
      if (rule.required)
        issues.push({ type: 'missing', loc: [name], msg: 'Field required', input: body });
      continue;
    }
    const issue = checkKind(value, rule.kind, [name]);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Checks one value against a kind; undefined when it fits. */
export function checkKind(
  value: unknown,
  kind: FieldKind,
  loc: (string | number)[],
): ValidationIssue | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string'
        ? undefined
        : { type: 'string_type', loc, msg: 'Input should be a valid string', input: value };
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return undefined;
      if (typeof value === 'number') {
        return {
          type: 'int_from_float',
          loc,
          msg: 'Input should be a valid integer, got a number with a fractional part',
          input: value,
        };
      }
      return typeof value === 'string'
        ? {
            type: 'int_parsing',
            loc,
            msg: 'Input should be a valid integer, unable to parse string as an integer',
            input: value,
          }
        : { type: 'int_type', loc, msg: 'Input should be a valid integer', input: value };
    case 'number':
      if (typeof value === 'number') return undefined;
      return typeof value === 'string'
        ? {
            type: 'float_parsing',
            loc,
            msg: 'Input should be a valid number, unable to parse string as a number',
            input: value,
          }
        : { type: 'float_type', loc, msg: 'Input should be a valid number', input: value };
    case 'bool':
      if (typeof value === 'boolean') return undefined;
      return typeof value === 'string'
        ? {
            type: 'bool_parsing',
            loc,
            msg: 'Input should be a valid boolean, unable to interpret input',
            input: value,
          }
        : { type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value };
    case 'list':
      return Array.isArray(value)
        ? undefined
        : { type: 'list_type', loc, msg: 'Input should be a valid list', input: value };
    case 'dict':
      return isRecord(value)
        ? undefined
        : { type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value };
    case 'stringOrList':
      if (typeof value === 'string') return undefined;
      if (Array.isArray(value)) {
        const bad = value.findIndex(item => typeof item !== 'string');
        return bad === -1
          ? undefined
          : {
              type: 'string_type',
              loc: [...loc, bad],
              msg: 'Input should be a valid string',
              input: value[bad],
            };
      }
      return { type: 'string_type', loc, msg: 'Input should be a valid string', input: value };
  }
}

/** A plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
