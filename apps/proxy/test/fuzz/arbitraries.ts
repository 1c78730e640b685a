import fc from 'fast-check';
import { type JsonKey, JsonObject, JsonRaw, type JsonTree } from './json-text';

/** One megabyte: long enough to pass every length check a field should have. */
const MEGABYTE = 'x'.repeat(1_048_576);

/** Strings a database, a date parser or a key lookup may choke on. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udc00x',
      '\ud83d',
      '😀',
      '\u202e',
      '%00',
      '../../etc/passwd',
      'sk-',
      'sk-\u0000',
      '99999999999999d',
      '-1d',
      '1e999',
      'NaN',
      'null',
      'true',
      '__proto__',
      '2025-13-45',
      '0000-00-00',
    ),
  },
  { weight: 1, arbitrary: fc.constant(MEGABYTE) },
);

/** Numbers at and past every limit: JSON tokens `JSON.stringify` cannot write, too. */
export const hostileNumber: fc.Arbitrary<number | JsonRaw> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 0.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 2, -(2 ** 63), 1e308, 5e-324),
  fc
    .constantFrom(
      '1e999',
      '-1e999',
      '-0',
      '1e-400',
      '123456789012345678901234567890',
      '9007199254740993',
      '1E+2',
    )
    .map(text => new JsonRaw(text)),
);

/** Keys that name `Object.prototype`'s members, plain and spelled with escapes. */
export const hazardKey: fc.Arbitrary<JsonKey> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'valueOf',
    'toString',
    'isPrototypeOf',
    '__defineGetter__',
    '',
    'k\u0000',
    '\ud800',
  ),
  fc.constant(new JsonRaw('"\\u005f_proto__"')),
);

/** Nesting past the body-depth limit and far past it (as raw text: no recursion anywhere). */
export const deepNesting: fc.Arbitrary<JsonRaw> = fc
  .tuple(fc.constantFrom(31, 32, 33, 100, 5_000, 100_000), fc.boolean())
  .map(([depth, arrays]) =>
    arrays
      ? new JsonRaw(`${'['.repeat(depth)}${']'.repeat(depth)}`)
      : new JsonRaw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );

const leaf: fc.Arbitrary<JsonTree> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  hostileNumber,
  hostileString,
);

/** Any JSON value: hostile leaves, hazardous keys at any depth, wrong types everywhere. */
export const hostileValue: fc.Arbitrary<JsonTree> = fc.letrec<{ value: JsonTree }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), hazardKey), tie('value')), {
          maxLength: 4,
        })
        .map(entries => new JsonObject(entries)),
    },
    { weight: 1, arbitrary: deepNesting },
  ),
})).value;
