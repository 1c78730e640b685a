import { describe, expect, it } from 'vitest';
import { anthropicRequestSchema, isPlainMessagesRequest } from '../src/index';

const user = { role: 'user', content: 'hi' };

describe('isPlainMessagesRequest', () => {
  it('accepts everyday requests, each of which the schema accepts unchanged', () => {
    const plain = [
      { model: 'm', max_tokens: 16, messages: [user] },
      {
        model: 'm',
        max_tokens: 1024,
        system: 'Be brief.',
        messages: [user, { role: 'assistant', content: 'Hello.' }, user],
        temperature: 0.5,
        top_p: 1,
        stream: true,
        some_extension: { kept: true },
      },
      { model: 'm', max_tokens: 1, messages: [] },
    ];
    for (const body of plain) {
      expect(isPlainMessagesRequest(body), JSON.stringify(body)).toBe(true);
      expect(anthropicRequestSchema.parse(body)).toEqual(body);
    }
  });

  it('sends anything else to the schema, including every value the schema refuses', () => {
    const refused = [
      { max_tokens: 16, messages: [user] },
      { model: '', max_tokens: 16, messages: [user] },
      { model: 'm', messages: [user] },
      { model: 'm', max_tokens: 0, messages: [user] },
      { model: 'm', max_tokens: 1.5, messages: [user] },
      { model: 'm', max_tokens: '16', messages: [user] },
      { model: 'm', max_tokens: 16 },
      { model: 'm', max_tokens: 16, messages: user },
      { model: 'm', max_tokens: 16, messages: [{ role: 'system', content: 'x' }] },
      { model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 7 }] },
      { model: 'm', max_tokens: 16, messages: [{ role: 'user' }] },
      { model: 'm', max_tokens: 16, messages: [null] },
      { model: 'm', max_tokens: 16, messages: [user], temperature: 1.5 },
      { model: 'm', max_tokens: 16, messages: [user], temperature: null },
      { model: 'm', max_tokens: 16, messages: [user], top_p: -0.1 },
      { model: 'm', max_tokens: 16, messages: [user], stream: 'yes' },
      { model: 'm', max_tokens: 16, messages: [user], stream: null },
      { model: 'm', max_tokens: 16, messages: [user], system: 3 },
    ];
    for (const body of refused) {
      expect(isPlainMessagesRequest(body), JSON.stringify(body)).toBe(false);
      expect(anthropicRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
    // Valid but not everyday: the schema decides.
    const unusual = [
      {
        model: 'm',
        max_tokens: 16,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      },
      { model: 'm', max_tokens: 16, messages: [{ ...user, name: 'x' }] },
      { model: 'm', max_tokens: 16, messages: [user], tools: [] },
      { model: 'm', max_tokens: 16, messages: [user], system: [{ type: 'text', text: 'x' }] },
      { model: 'm', max_tokens: 16, messages: [user], metadata: { user_id: 'u' } },
      JSON.parse(
        '{"model":"m","max_tokens":16,"messages":[{"role":"user","content":"hi","__proto__":{}}]}',
      ),
      [],
      null,
      'm',
    ];
    for (const body of unusual) expect(isPlainMessagesRequest(body)).toBe(false);
  });
});
