import { z } from 'zod';

/**
 * What PostgreSQL (and the embedded PGlite, the same engine) can store.
 * Two kinds of JavaScript string cannot reach it as they are:
 *
 * - a NUL character (U+0000): `text` refuses the byte ("invalid byte
 *   sequence for encoding UTF8: 0x00") and `jsonb` the escape `\u0000`
 *   ("unsupported Unicode escape sequence");
 * - an unpaired UTF-16 surrogate (U+D800–U+DFFF on its own): `jsonb`
 *   refuses its escape ("invalid input syntax for type json"), while a
 *   `text` parameter is silently rewritten to U+FFFD by the driver.
 *
 * One such value in a batched INSERT fails the whole batch, so every string
 * headed for the database goes through here: either it is refused at the
 * door ({@link textProblem}, {@link jsonProblem}, {@link storableString},
 * {@link storableJsonObject}: a 400 naming the field), or it is made
 * storable ({@link storableText}, {@link storableJson}) where refusing is no
 * longer possible (a spend row written after the answer was sent).
 * Sizes are capped too: a megabyte-long id or a thousand-deep object is
 * refused, or cut with a visible mark, never passed on.
 */

/** What replaces a character the database cannot hold: the Unicode replacement character. */
export const REPLACEMENT = '\uFFFD';

/** Longest id, alias, name or e-mail accepted, in UTF-16 code units. */
export const MAX_ID_CHARS = 1_024;

/** Longest string inside a JSON value kept whole when made storable. */
export const MAX_JSON_STRING_CHARS = 10_000;

/** Deepest nesting of objects and arrays accepted in a JSON value. */
export const MAX_JSON_DEPTH = 32;

// A NUL or any surrogate: the fast test; pairs are then told apart by a scan.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what is looked for
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** Limits of {@link storableJson} and {@link jsonProblem}. */
export interface JsonLimits {
  /** Longest string (object keys too), in UTF-16 code units. */
  maxChars?: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth?: number;
}

/**
 * Why `value` cannot be stored as it is, in words for an error message
 * ("contains a NUL character (U+0000)"), or undefined when it can.
 */
export function textProblem(value: string, maxChars = MAX_ID_CHARS): string | undefined {
  if (value.length > maxChars) return `is longer than ${maxChars} characters`;
  if (!SUSPECT.test(value)) return undefined;
  if (value.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (nextUnstorable(value, 0) !== -1)
    return 'contains an unpaired UTF-16 surrogate (not valid Unicode), which cannot be stored';
  return undefined;
}

/**
 * `value` as the database can hold it: NUL characters and unpaired
 * surrogates become U+FFFD, and text past `maxChars` is cut and marked
 * `…[truncated: N more characters]`. Returns `value` itself (no copy) when
 * nothing needs changing, which is the everyday case.
 */
export function storableText(value: string, maxChars = MAX_ID_CHARS): string {
  let text = value;
  let cut = 0;
  if (text.length > maxChars) {
    // Never cut between the two halves of a surrogate pair.
    const end = isHighSurrogate(text.charCodeAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    cut = text.length - end;
    text = text.slice(0, end);
  }
  if (SUSPECT.test(text)) text = replaceUnstorable(text);
  return cut === 0 ? text : `${text}…[truncated: ${cut} more characters]`;
}

/**
 * Where and why a JSON value cannot be stored as it is: the path of the
 * first bad string or object key (`["tags", 2]`) and the problem, or
 * undefined when every string and key is storable and the nesting is
 * within `maxDepth`.
 */
export function jsonProblem(
  value: unknown,
  limits: JsonLimits = {},
): { path: (string | number)[]; problem: string } | undefined {
  const maxChars = limits.maxChars ?? MAX_JSON_STRING_CHARS;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const visit = (v: unknown, path: (string | number)[]): ReturnType<typeof jsonProblem> => {
    if (typeof v === 'string') {
      const problem = textProblem(v, maxChars);
      return problem ? { path, problem } : undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (path.length >= maxDepth)
      return { path, problem: `nests objects or arrays deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = visit(v[i], [...path, i]);
        if (found) return found;
      }
      return undefined;
    }
    for (const [key, item] of Object.entries(v)) {
      const problem = textProblem(key, maxChars);
      if (problem) return { path: [...path, key], problem: `has a key that ${problem}` };
      const found = visit(item, [...path, key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(value, []);
}

/**
 * A copy of a JSON value the database can hold: every string and object
 * key through {@link storableText}, and anything nested deeper than
 * `maxDepth` replaced by the string `[truncated: nested deeper than N
 * levels]`. Values JSON cannot express (functions, `undefined`) are left to
 * `JSON.stringify`, which drops them as usual.
 */
export function storableJson(value: unknown, limits: JsonLimits = {}): unknown {
  const maxChars = limits.maxChars ?? MAX_JSON_STRING_CHARS;
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return storableText(v, maxChars);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return `[truncated: nested deeper than ${maxDepth} levels]`;
    // A Date (or anything with toJSON) is stored as JSON.stringify would write it.
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function')
      return copy((v as { toJSON(): unknown }).toJSON(), depth);
    if (Array.isArray(v)) return v.map(item => copy(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v))
      out[storableText(key, maxChars)] = copy(item, depth + 1);
    return out;
  };
  return copy(value, 0);
}

/**
 * A zod string the database can store: refused with a message naming the
 * field when it holds a NUL, an unpaired surrogate or more than `maxChars`
 * characters. For ids, aliases, names and e-mails.
 */
export function storableString(maxChars = MAX_ID_CHARS) {
  return z.string().superRefine((value, ctx) => {
    const problem = textProblem(value, maxChars);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * A zod JSON object (`metadata`, `aliases`, `config`, …) the database can
 * store: refused, naming the path inside it, when a string or key holds a
 * NUL or an unpaired surrogate, or the nesting is deeper than
 * {@link MAX_JSON_DEPTH}.
 */
export function storableJsonObject(limits: JsonLimits = {}) {
  return z.record(z.string(), z.unknown()).superRefine(refineStorableJson(limits));
}

/** The check of {@link storableJsonObject}, for any zod schema whose output is stored as JSON. */
export function refineStorableJson(limits: JsonLimits = {}) {
  return (value: unknown, ctx: z.RefinementCtx): void => {
    const found = jsonProblem(value, limits);
    if (found) ctx.addIssue({ code: 'custom', message: found.problem, path: found.path });
  };
}

/** Index of the first NUL or unpaired surrogate at or after `from`, or -1. */
function nextUnstorable(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    if (c < 0xd800 || c > 0xdfff) continue;
    if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

function replaceUnstorable(text: string): string {
  let out = '';
  let from = 0;
  for (let at = nextUnstorable(text, 0); at !== -1; at = nextUnstorable(text, from)) {
    out += text.slice(from, at) + REPLACEMENT;
    from = at + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
