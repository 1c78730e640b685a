import { formatIssuePath } from '@switchyard/core';
import type { z } from 'zod';

/**
 * One line per bad value: `model_list[2].litellm_params.rpm: expected a
 * number, got "ten"`. Zod's own wording ("Invalid input: expected number,
 * received string") names neither the value nor, for a config file, where
 * it sits, so the proxy writes its own.
 */
export function formatConfigIssues(error: z.ZodError): string {
  return error.issues.map(describe).join('\n');
}

function describe(issue: z.core.$ZodIssue): string {
  const where = formatIssuePath(issue.path) || '(top level)';
  const got = 'input' in issue ? `, got ${show(issue.input)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined)
        return `${where}: is required (expected ${article(issue.expected)})`;
      return `${where}: expected ${article(issue.expected)}${got}`;
    case 'too_small':
      return `${where}: expected ${issue.origin === 'string' ? 'a non-empty string' : `a value >= ${String(issue.minimum)}`}${got}`;
    case 'too_big':
      return `${where}: expected a value <= ${String(issue.maximum)}${got}`;
    case 'invalid_value':
      return `${where}: expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}${got}`;
    default:
      return `${where}: ${issue.message}${got}`;
  }
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'array' || type === 'object') return `an ${type}`;
  return `a ${type}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
