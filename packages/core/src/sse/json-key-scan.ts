/**
 * Cheap questions about a JSON text without parsing it, for deciding
 * whether a streamed event needs parsing at all.
 *
 * Why they are sound: inside a JSON string every `"` is escaped as `\"`,
 * so the characters `"name"` followed by optional whitespace and `:` can
 * only be an object key named `name` — never text inside a string, and
 * never a string value (a value is followed by `,`, `}` or `]`). A key
 * written with `\u` escapes is not recognised, so callers must treat
 * "not found" as "absent" only for producers that write keys plainly
 * (every JSON serialiser does).
 */

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Calls `visit` with the offset of the value of each key named `key`
 * (after the colon and any whitespace); stops when `visit` returns false.
 * Returns false if it was stopped.
 */
function everyValueOf(text: string, key: string, visit: (valueAt: number) => boolean): boolean {
  const quoted = `"${key}"`;
  let from = 0;
  for (;;) {
    const at = text.indexOf(quoted, from);
    if (at === -1) return true;
    from = at + quoted.length;
    const colon = skipWhitespace(text, from);
    if (text.charCodeAt(colon) !== 0x3a /* : */) continue;
    if (!visit(skipWhitespace(text, colon + 1))) return false;
  }
}

/** Where the value of the first key `key` starts (at any depth), or -1 when there is none. */
export function jsonValueAt(text: string, key: string): number {
  let found = -1;
  everyValueOf(text, key, valueAt => {
    found = valueAt;
    return false;
  });
  return found;
}

/** Whether the JSON text has an object key `key` anywhere (at any depth). */
export function hasJsonKey(text: string, key: string): boolean {
  return !everyValueOf(text, key, () => false);
}

/**
 * Whether every value of the key `key` (at any depth) is exactly the JSON
 * literal `literal` (`null`, `0`, `true`, …); true when the key is absent.
 */
export function everyJsonValueIs(text: string, key: string, literal: string): boolean {
  return everyValueOf(text, key, valueAt => {
    if (!text.startsWith(literal, valueAt)) return false;
    // `0` must not be the start of `05` or `0.5`: the literal must end there.
    const next = text.charCodeAt(valueAt + literal.length);
    return !(next >= 0x30 && next <= 0x39) && next !== 0x2e /* . */ && !isLetter(next);
  });
}

function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
