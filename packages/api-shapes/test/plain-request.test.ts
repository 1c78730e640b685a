import { describe, expect, it } from 'vitest';
import { isPlainResponsesRequest, responsesRequestSchema } from '../src/index';

describe('isPlainResponsesRequest', () => {
  it('accepts everyday requests, each of which the schema accepts unchanged', () => {
    const plain = [
      { model: 'm', input: 'hi' },
      { model: 'm', input: 'hi', max_output_tokens: 18, store: false, stream: true },
      {
        model: 'm',
        input: 'hi',
        instructions: 'Be brief.',
        temperature: 0.2,
        top_p: 1,
        user: 'u',
        parallel_tool_calls: null,
        previous_response_id: 'resp_1',
        some_extension: { kept: true },
      },
    ];
    for (const body of plain) {
      expect(isPlainResponsesRequest(body), JSON.stringify(body)).toBe(true);
      expect(responsesRequestSchema.parse(body)).toEqual(body);
    }
  });

  it('sends anything else to the schema, including every value the schema refuses', () => {
    const refused = [
      { model: '', input: 'hi' },
      { input: 'hi' },
      { model: 'm', input: 'hi', max_output_tokens: 0 },
      { model: 'm', input: 'hi', max_output_tokens: 1.5 },
      { model: 'm', input: 'hi', temperature: 3 },
      { model: 'm', input: 'hi', temperature: Number.NaN },
      { model: 'm', input: 'hi', top_p: -0.1 },
      { model: 'm', input: 'hi', store: 'no' },
      { model: 'm', input: 'hi', previous_response_id: '' },
      { model: 'm', input: 42 },
    ];
    for (const body of refused) {
      expect(isPlainResponsesRequest(body), JSON.stringify(body)).toBe(false);
      expect(responsesRequestSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
    // Valid but not everyday: the schema decides.
    const unusual = [
      { model: 'm', input: [{ role: 'user', content: 'hi' }] },
      { model: 'm', input: 'hi', tools: [] },
      { model: 'm', input: 'hi', text: { format: { type: 'text' } } },
      [],
      null,
      'm',
    ];
    for (const body of unusual) expect(isPlainResponsesRequest(body)).toBe(false);
  });
});
