import type { z } from 'zod';
import { BadRequestError } from '../errors/bad-request-error';

/** Formats a zod issue path the way a JavaScript reader would write it: `messages[0].content`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * One line per problem, each naming the field: `messages[0].role: Invalid
 * option: expected one of "system"|"developer"|…`. For a union that failed
 * on every branch, the branch that got furthest is reported, since "invalid
 * input" alone helps nobody.
 */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map(issue => describeIssue(issue, [])).join('; ');
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, prefix: ReadonlyArray<PropertyKey>): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const best = deepestBranch(issue.errors);
    if (best) return describeIssue(best, path);
  }
  const where = formatIssuePath(path);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

function deepestBranch(branches: Issue[][]): Issue | undefined {
  let best: Issue | undefined;
  let bestDepth = -1;
  for (const branch of branches) {
    for (const issue of branch) {
      // A discriminator mismatch at the root of a branch says only "not this branch".
      const depth = issue.path.length;
      if (depth > bestDepth) {
        best = issue;
        bestDepth = depth;
      }
    }
  }
  return best;
}

/**
 * Validates `value` with `schema`; on failure throws a {@link BadRequestError}
 * whose message names every bad field and whose `param` is the first bad path.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'request',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new BadRequestError({
    message: `Invalid ${what}: ${formatZodError(result.error)}`,
    param: first ? formatIssuePath(first.path) || null : null,
  });
}
