/**
 * Streamed answer text through /v1/responses and /v1/messages: the deltas
 * of an open text item are written by the translators' text fast path
 * (no chunk parsed, no event object made). Whatever the text holds —
 * quotes, line breaks, non-ASCII, an emoji, a lone surrogate, a control
 * character — each event must be the JSON its object would serialise to,
 * numbered in order, and the text must arrive whole.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './helpers';

const SCRIPT =
  'Say "hi" to the fox,\nthen write café, 中文 and 😀 with a back\\slash, a tab\tand \u0001 and a lone \ud800 here.';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ vllm: { scripted: { text: SCRIPT } } });
});
afterAll(async () => {
  await stack?.close();
});

/** The raw SSE answer of a streamed request, as named events with their data text. */
async function streamed(path: string, body: Record<string, unknown>) {
  const res = await request(`${stack.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'chat', stream: true, ...body }),
  });
  expect(res.statusCode).toBe(200);
  const text = await res.body.text();
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map(block => {
      const match = /^event: ([^\n]+)\ndata: ([^\n]+)$/.exec(block);
      if (!match) throw new Error(`not one named event: ${JSON.stringify(block)}`);
      const data = match[2]!;
      const event = JSON.parse(data) as Record<string, unknown>;
      // The bytes are the event serialised (as the slow path writes it), named by its type.
      expect(data).toBe(JSON.stringify(event));
      expect(event.type).toBe(match[1]);
      return event;
    });
}

describe('streamed text through the translated APIs', () => {
  it('/v1/responses: every delta exact and numbered, the text whole', async () => {
    const events = await streamed('/v1/responses', { input: 'go', max_output_tokens: 500 });
    expect(events.map(e => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter(e => e.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(10);
    const done = events.find(e => e.type === 'response.output_text.done');
    expect(deltas.map(e => e.delta).join('')).toBe(SCRIPT);
    expect(done?.text).toBe(SCRIPT);
    const item = events.find(e => e.type === 'response.output_item.added')?.item as { id: string };
    for (const delta of deltas)
      expect(delta).toMatchObject({ item_id: item.id, output_index: 0, content_index: 0 });
    const completed = events.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect(completed.response).toMatchObject({
      output: [{ content: [{ type: 'output_text', text: SCRIPT }] }],
    });
  });

  it('/v1/messages: every text delta exact, the text whole', async () => {
    const events = await streamed('/v1/messages', {
      max_tokens: 500,
      messages: [{ role: 'user', content: 'go' }],
    });
    const deltas = events.filter(e => e.type === 'content_block_delta');
    expect(deltas.length).toBeGreaterThan(10);
    for (const delta of deltas)
      expect(delta).toMatchObject({ index: 0, delta: { type: 'text_delta' } });
    expect(deltas.map(e => (e.delta as { text: string }).text).join('')).toBe(SCRIPT);
    expect(events.map(e => e.type).slice(-3)).toEqual([
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });
});
