import { describe, expect, it } from 'vitest';
import { newId } from '../src/index';

describe('newId', () => {
  it('makes 32 hex digits after the prefix, never the same twice (past a refill of its pool)', () => {
    const ids = Array.from({ length: 1000 }, () => newId('msg_'));
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
