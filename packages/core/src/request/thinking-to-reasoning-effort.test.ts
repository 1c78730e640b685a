import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors/bad-request-error';
import { thinkingToReasoningEffort } from './thinking-to-reasoning-effort';

describe('thinkingToReasoningEffort', () => {
  it.each([
    [0, 'minimal'],
    [1023, 'minimal'],
    [1024, 'minimal'],
    [1025, 'low'],
    [2047, 'low'],
    [2048, 'medium'],
    [4095, 'medium'],
    [4096, 'high'],
    [15000, 'high'],
  ])('budget %i → %s', (budget, effort) => {
    expect(thinkingToReasoningEffort({ type: 'enabled', budget_tokens: budget })).toBe(effort);
  });

  it('maps an enabled thinking without budget to minimal, and ignores disabled or absent thinking', () => {
    expect(thinkingToReasoningEffort({ type: 'enabled' })).toBe('minimal');
    expect(thinkingToReasoningEffort({ type: 'disabled', budget_tokens: 9000 })).toBeUndefined();
    expect(thinkingToReasoningEffort(undefined)).toBeUndefined();
  });

  it('names the field when thinking is malformed', () => {
    expect(() => thinkingToReasoningEffort('high')).toThrow(/thinking must be an object/);
    try {
      thinkingToReasoningEffort({ type: 'enabled', budget_tokens: 'lots' });
      expect.unreachable();
    } catch (error) {
      expect(BadRequestError.isInstance(error)).toBe(true);
      expect((error as BadRequestError).param).toBe('thinking.budget_tokens');
    }
  });
});
