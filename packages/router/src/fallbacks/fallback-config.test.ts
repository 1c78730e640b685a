import {
  ContentPolicyViolationError,
  ContextWindowExceededError,
  ServiceUnavailableError,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { configuredFallbacks, parseFallbackMap } from './fallback-config';

const names = (list: readonly { model: string }[]) => list.map(t => t.model);

describe('fallback tables', () => {
  const tables = {
    fallbacks: new Map([
      ['a', [{ model: 'b' }]],
      ['gpt-4o', [{ model: 'small' }]],
      ['*', [{ model: 'default' }]],
    ]),
    contextWindow: parseFallbackMap('context_window_fallbacks', [{ a: ['a-long'] }]),
    contentPolicy: new Map(),
  };
  const unavailable = new ServiceUnavailableError({ message: 'x' });

  it('parses the list-of-single-key-objects form and merges repeated keys', () => {
    const map = parseFallbackMap('fallbacks', [{ a: ['b'] }, { a: ['c'] }]);
    expect(names(map.get('a')!)).toEqual(['b', 'c']);
  });

  it('picks by exact group, then without provider prefix, then *', () => {
    expect(names(configuredFallbacks(tables, 'a', unavailable))).toEqual(['b']);
    expect(names(configuredFallbacks(tables, 'openai/gpt-4o', unavailable))).toEqual(['small']);
    expect(names(configuredFallbacks(tables, 'zzz', unavailable))).toEqual(['default']);
  });

  it('context-window errors use their own table; configured without an entry means none', () => {
    const ctx = new ContextWindowExceededError({ message: 'too long' });
    expect(names(configuredFallbacks(tables, 'a', ctx))).toEqual(['a-long']);
    expect(configuredFallbacks(tables, 'zzz', ctx)).toEqual([]);
  });

  it('content-policy errors fall through to the general table when theirs is empty', () => {
    const policy = new ContentPolicyViolationError({ message: 'no' });
    expect(names(configuredFallbacks(tables, 'a', policy))).toEqual(['b']);
  });
});
