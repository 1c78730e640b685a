import { describe, expect, it } from 'vitest';
import {
  jsonProblem,
  MAX_JSON_DEPTH,
  storableJson,
  storableJsonObject,
  storableString,
  storableText,
  textProblem,
} from './storable-value';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('storable values', () => {
  it('says why a string cannot be stored', () => {
    expect(textProblem('plain é 😀')).toBeUndefined();
    expect(textProblem('a\u0000b')).toContain('NUL');
    expect(textProblem('\ud800x')).toContain('unpaired');
    expect(textProblem('x\udc00')).toContain('unpaired');
    expect(textProblem('\udc00\ud800')).toContain('unpaired');
    expect(textProblem('x'.repeat(11), 10)).toBe('is longer than 10 characters');
  });

  it('replaces NUL and unpaired surrogates, keeps pairs, returns clean text as is', () => {
    const clean = 'ok 😀';
    expect(storableText(clean)).toBe(clean);
    expect(storableText('a\u0000b\ud800c😀\udfff')).toBe('a\uFFFDb\uFFFDc😀\uFFFD');
    expect(textProblem(storableText('\ud800\u0000\udc00'))).toBeUndefined();
  });

  it('cuts long text with a mark and never between the halves of a pair', () => {
    expect(storableText('abcdef', 3)).toBe('abc…[truncated: 3 more characters]');
    const cut = storableText('ab😀cd', 3);
    expect(cut).toBe('ab…[truncated: 4 more characters]');
    expect(textProblem(cut, 100)).toBeUndefined();
  });

  it('finds the first bad string or key in a JSON value, by path', () => {
    expect(jsonProblem({ a: [1, 'ok', { b: null }] })).toBeUndefined();
    expect(jsonProblem({ tags: ['x', 'y\u0000'] })).toMatchObject({ path: ['tags', 1] });
    expect(jsonProblem({ 'k\ud800': 1 })).toMatchObject({ path: ['k\ud800'] });
    expect(jsonProblem(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(jsonProblem(nested(MAX_JSON_DEPTH + 1))?.problem).toContain('deeper than');
    expect(jsonProblem({ s: 'x'.repeat(5) }, { maxChars: 4 })?.path).toEqual(['s']);
  });

  it('copies a JSON value into one the database takes, marking what it cut', () => {
    const out = storableJson({
      'k\u0000': ['\ud800', 2, true, null],
      deep: nested(100),
      when: new Date(0),
    }) as Record<string, unknown>;
    expect(jsonProblem(out)).toBeUndefined();
    expect(out['k\uFFFD']).toEqual(['\uFFFD', 2, true, null]);
    expect(out.when).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(out.deep)).toContain(
      `[truncated: nested deeper than ${MAX_JSON_DEPTH} levels]`,
    );
  });

  it('zod schemas refuse unstorable input with the path of the bad part', () => {
    expect(storableString().safeParse('fine').success).toBe(true);
    const s = storableString().safeParse('a\u0000b');
    expect(s.success).toBe(false);
    expect(s.error?.issues[0]?.message).toContain('NUL');
    const o = storableJsonObject().safeParse({ meta: { tags: ['\udc00'] } });
    expect(o.success).toBe(false);
    expect(o.error?.issues[0]?.path).toEqual(['meta', 'tags', 0]);
    expect(storableJsonObject().safeParse({ meta: { tags: ['ok'] } }).success).toBe(true);
  });
});
