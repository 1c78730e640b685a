/**
 * Content capture on a stream: the relay hands plain chunks out unparsed
 * (SseFrames), so with capture on it must read every chunk instead, or the
 * span would hold only the text of the few chunks it parsed.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MASTER_KEY } from './helpers';
import { startTracedStack, type TracedStack } from './otel-stack';

let traced: TracedStack;
beforeAll(async () => {
  traced = await startTracedStack({
    env: { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' },
  });
});
afterAll(() => traced?.close());

it('records the whole streamed answer when content capture is on', async () => {
  const client = new OpenAI({
    apiKey: MASTER_KEY,
    baseURL: `${traced.stack.proxy.url}/v1`,
    maxRetries: 0,
  });
  const stream = await client.chat.completions.create({
    model: 'chat',
    messages: [{ role: 'user', content: 'stream a longer answer' }],
    max_tokens: 12,
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text.split(' ').length).toBeGreaterThan(6);
  const spans = await traced.receiver.waitFor(all =>
    all.some(s => s.kind === 2 && s.attributes['gen_ai.output.messages'] !== undefined),
  );
  const server = spans.find(s => s.kind === 2 && s.attributes['gen_ai.output.messages'])!;
  const messages = JSON.parse(String(server.attributes['gen_ai.output.messages']));
  expect(messages[0].parts[0].content).toBe(text);
});
