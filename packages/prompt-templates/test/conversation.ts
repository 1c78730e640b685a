import type { PromptMessage } from '../src/index';

/** The conversation every §4.4 expectation was computed for. */
export const CONVERSATION: PromptMessage[] = [
  { role: 'system', content: 'S' },
  { role: 'user', content: 'U1' },
  { role: 'assistant', content: 'A1' },
  { role: 'user', content: 'U2' },
];

/** LiteLLM's test pair (`test_prompt_factory.py`). */
export const GOOD_BOT: PromptMessage[] = [
  { role: 'system', content: 'You are a good bot' },
  { role: 'user', content: "Hey, how's it going?" },
];
