import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema, isPlainChatRequest } from '../src/index';

/** A small deterministic PRNG, so a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const VALUES: unknown[] = [
  null,
  undefined,
  true,
  false,
  0,
  1,
  -1,
  0.5,
  2,
  2.5,
  -2,
  -3,
  20,
  21,
  128,
  129,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  'x',
  [],
  ['a'],
  ['a', 1],
  Array.from({ length: 65 }, () => 's'),
  {},
  { include_usage: true },
  { include_usage: 'yes' },
  { include_usage: true, extra: 1 },
  { type: 'text' },
];
const FIELDS = [
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'seed',
  'stop',
  'stream',
  'stream_options',
  'user',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'parallel_tool_calls',
  'response_format',
  'tools',
  'top_k',
  'chat_template_kwargs',
];
const MESSAGES: unknown[] = [
  { role: 'user', content: 'hi' },
  { role: 'system', content: '' },
  { role: 'assistant', content: 'ok', name: 'bot' },
  { role: 'developer', content: 'be brief' },
  { role: 'assistant', content: null },
  { role: 'tool', content: 'r', tool_call_id: 'c1' },
  { role: 'user', content: [{ type: 'text', text: 'hi' }] },
  { role: 'user', content: 5 },
  { role: 'robot', content: 'x' },
  { role: 'user' },
  { role: 'user', content: 'x', name: 7 },
  { role: 'user', content: 'x', extra: true },
  'not a message',
];

function randomRequest(random: () => number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const body: Record<string, unknown> = {
    model: random() < 0.95 ? 'm' : pick(['', 5, undefined]),
    messages:
      random() < 0.95
        ? Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(MESSAGES))
        : [],
  };
  const extra = Math.floor(random() * 4);
  for (let i = 0; i < extra; i++) body[pick(FIELDS)] = pick(VALUES);
  return body;
}

describe('isPlainChatRequest', () => {
  it('accepts only requests the schema accepts unchanged (5,000 random requests)', () => {
    const random = prng(20261122);
    let plain = 0;
    for (let i = 0; i < 5000; i++) {
      const body = randomRequest(random);
      if (!isPlainChatRequest(body)) continue;
      plain++;
      const parsed = chatCompletionRequestSchema.safeParse(body);
      expect(parsed.success, JSON.stringify(body)).toBe(true);
      expect(parsed.data).toEqual(body);
    }
    // The corpus must exercise the fast path, not only the fallback.
    expect(plain).toBeGreaterThan(150);
  });

  it('takes the everyday request and leaves unusual ones to the schema', () => {
    const everyday = {
      model: 'facebook/opt-125m',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say something short about foxes.' },
      ],
      max_tokens: 18,
      temperature: 0.7,
      stream: true,
      stream_options: { include_usage: true },
      top_k: 20,
    };
    expect(isPlainChatRequest(everyday)).toBe(true);
    expect(isPlainChatRequest({ ...everyday, tools: [] })).toBe(false);
    expect(isPlainChatRequest({ ...everyday, temperature: 3 })).toBe(false);
    expect(isPlainChatRequest({ ...everyday, messages: [{ role: 'user', content: [] }] })).toBe(
      false,
    );
  });

  it('looks field names up as data: names of built-in object properties are ordinary extra fields', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    for (const name of ['valueOf', 'hasOwnProperty', 'toString', 'constructor', '__proto__']) {
      const body = JSON.parse(
        `{"model":"m","messages":[{"role":"user","content":"hi"}],"${name}":1}`,
      );
      expect(Object.hasOwn(body, name)).toBe(true);
      // Before: the check table's prototype answered, and calling it threw.
      expect(isPlainChatRequest(body), name).toBe(true);
    }
    expect(isPlainChatRequest(base)).toBe(true);
  });
});
