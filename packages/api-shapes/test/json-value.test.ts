import { describe, expect, it } from 'vitest';
import { jsonFields, jsonValue } from '../src/shared/json-value';

describe('event JSON from fields', () => {
  it('writes values as JSON.stringify does', () => {
    for (const v of [
      null,
      true,
      false,
      0,
      -0,
      7,
      1.5,
      1e21,
      Number.NaN,
      'a "b" \n é',
      [1],
      { a: 1 },
    ])
      expect(jsonValue(v)).toBe(JSON.stringify(v));
  });

  it('is JSON.stringify of the object in every order and shape', () => {
    const keys = ['a', 'b', 'c', 'd'];
    const objects = [
      {},
      { a: 1, b: null, c: 'x' },
      { a: 1, c: true },
      { a: 1, b: undefined, d: { nested: [1, 'two'] } },
      { b: 2, a: 1 },
      { a: 1, other: 2 },
      { e: 5 },
    ];
    for (const object of objects)
      expect(jsonFields(object as Record<string, unknown>, keys)).toBe(JSON.stringify(object));
  });
});
