import { describe, expect, it } from 'vitest';
import { everyJsonValueIs, hasJsonKey, jsonValueAt } from '../src/index';

describe('JSON key scan', () => {
  it('finds keys at any depth, with or without whitespace before the colon', () => {
    const text = '{"a":{"usage" : {"total_tokens":3}},"b":[1]}';
    expect(hasJsonKey(text, 'usage')).toBe(true);
    expect(hasJsonKey(text, 'total_tokens')).toBe(true);
    expect(hasJsonKey(text, 'missing')).toBe(false);
    expect(text.slice(jsonValueAt(text, 'usage'))).toMatch(/^\{"total_tokens"/);
    expect(jsonValueAt(text, 'missing')).toBe(-1);
  });

  it('never takes text inside a string, or a string value, for a key', () => {
    // A delta whose text spells out keys, and a value that is a key's name.
    const text = JSON.stringify({
      delta: { content: 'say "usage": {"error": 1} and "index":7' },
      finish_reason: 'usage',
    });
    expect(hasJsonKey(text, 'usage')).toBe(false);
    expect(hasJsonKey(text, 'error')).toBe(false);
    expect(everyJsonValueIs(text, 'index', '0')).toBe(true);
    expect(everyJsonValueIs(text, 'finish_reason', 'null')).toBe(false);
  });

  it('checks every value of a key against a literal, and only the whole literal', () => {
    expect(everyJsonValueIs('{"usage":null,"x":{"usage":null}}', 'usage', 'null')).toBe(true);
    expect(everyJsonValueIs('{"usage":null,"x":{"usage":{}}}', 'usage', 'null')).toBe(false);
    expect(everyJsonValueIs('{"index":0,"t":[{"index":0}]}', 'index', '0')).toBe(true);
    expect(everyJsonValueIs('{"index":0,"t":[{"index":1}]}', 'index', '0')).toBe(false);
    expect(everyJsonValueIs('{"index":01}', 'index', '0')).toBe(false);
    expect(everyJsonValueIs('{"index":0.5}', 'index', '0')).toBe(false);
    expect(everyJsonValueIs('{"index":0e1}', 'index', '0')).toBe(false);
    expect(everyJsonValueIs('{"e":nullx}', 'e', 'null')).toBe(false);
    expect(everyJsonValueIs('{"other":1}', 'usage', 'null')).toBe(true);
  });
});
