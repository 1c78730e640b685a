import { describe, expect, it } from 'vitest';
import { PROMPT_TEXT_LIMIT, promptTextOf } from './prompt-text';

describe('promptTextOf', () => {
  it('reads chat messages, text parts, completion prompts and embedding inputs', () => {
    expect(
      promptTextOf({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:' } },
            ],
          },
        ],
      }),
    ).toBe('system: Be brief.\nuser: What is this? [image_url]');
    expect(promptTextOf({ prompt: 'Once upon' })).toBe('Once upon');
    expect(promptTextOf({ input: ['a', 'b'] })).toBe('a\nb');
    expect(promptTextOf({ prompt: [1, 2, 3] })).toBe('[3 items]');
    expect(promptTextOf({ model: 'm' })).toBeUndefined();
  });

  it('cuts a long prompt and says so', () => {
    const text = promptTextOf({ prompt: 'x'.repeat(PROMPT_TEXT_LIMIT + 10) })!;
    expect(text).toHaveLength(PROMPT_TEXT_LIMIT + 1);
    expect(text.endsWith('…')).toBe(true);
  });
});
