import { formatIssuePath } from '@switchyard/core';
import { ProxyError } from './proxy-error';

/**
 * Deepest nesting of objects and arrays a request body may have. JSON.parse
 * reads any depth, but JSON.stringify, schema checks and every other
 * recursive reader overflow the stack somewhere past a few thousand levels;
 * no real request comes near this (OpenAI's structured outputs allow 10).
 */
export const MAX_BODY_DEPTH = 128;

/**
 * `__proto__`, `constructor`, `hasOwnProperty`, `valueOf`, …: as top-level
 * fields they shadow what code expects to find on every object (a lookup
 * table keyed by field name returns a function, a `hasOwnProperty` call
 * throws), so a request could crash whatever reads it.
 */
const BUILT_IN_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A 400 naming the field when a top-level field (JSON or form) is named like a built-in object property. */
export function assertSafeFieldName(name: string): void {
  if (!BUILT_IN_NAMES.has(name)) return;
  throw new ProxyError({
    status: 400,
    type: 'invalid_request_error',
    param: name,
    message: `Invalid request: ${name}: a field named like a built-in property of JavaScript objects is not accepted.`,
  });
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Refuses, with a 400 naming the field, a parsed JSON body that would crash
 * or mislead JavaScript code reading it: a top-level field named like a
 * built-in object property, a `__proto__` key at any depth (copying such an
 * object with `Object.assign` replaces the copy's prototype), or nesting
 * deeper than {@link MAX_BODY_DEPTH}. The raw text decides whether the
 * nested walk is needed at all: an everyday body has neither `__proto__`
 * nor escapes nor that many brackets, and costs one pass over its top-level keys.
 */
export function assertSafeBody(body: Record<string, unknown>, raw: Buffer): void {
  for (const key in body) assertSafeFieldName(key);
  // A key spelled with escapes (`"\u005f_proto__"`) is still `__proto__` once parsed.
  const mayHide = raw.includes('__proto__') || raw.includes('\\u');
  if (!mayHide && !hasManyBrackets(raw)) return;
  const path: Array<string | number> = [];
  const hazard = findHazard(body, 1, path);
  if (hazard === 'depth') {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      param: formatIssuePath(path) || null,
      message: `Invalid request: ${formatIssuePath(path)}: objects and arrays nested more than ${MAX_BODY_DEPTH} levels deep are not accepted.`,
    });
  }
  if (hazard === 'proto') {
    throw new ProxyError({
      status: 400,
      type: 'invalid_request_error',
      param: formatIssuePath(path),
      message: `Invalid request: ${formatIssuePath(path)}: a key named __proto__ is not accepted anywhere in a request body.`,
    });
  }
}

/** Whether the body has {@link MAX_BODY_DEPTH} opening brackets or more (only then can it be too deep). */
function hasManyBrackets(raw: Buffer): boolean {
  let count = 0;
  for (const byte of [OPEN_BRACE, OPEN_BRACKET]) {
    // indexOf is a native scan: a few calls per body, not a loop over its bytes.
    for (let at = raw.indexOf(byte); at !== -1; at = raw.indexOf(byte, at + 1)) {
      if (++count >= MAX_BODY_DEPTH) return true;
    }
  }
  return false;
}

/**
 * Depth-first search for the first hazard; `path` is left pointing at it.
 * Recursion is bounded by {@link MAX_BODY_DEPTH}, so the search itself cannot overflow.
 */
function findHazard(
  value: object,
  depth: number,
  path: Array<string | number>,
): 'depth' | 'proto' | undefined {
  if (depth > MAX_BODY_DEPTH) return 'depth';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      path.push(i);
      const found = findHazard(item, depth + 1, path);
      if (found) return found;
      path.pop();
    }
    return undefined;
  }
  if (Object.hasOwn(value, '__proto__')) {
    path.push('__proto__');
    return 'proto';
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (typeof item !== 'object' || item === null) continue;
    path.push(key);
    const found = findHazard(item, depth + 1, path);
    if (found) return found;
    path.pop();
  }
  return undefined;
}
