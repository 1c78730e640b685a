/**
 * Structured outputs against the vLLM emulator through the official
 * `openai` client: `.parse()` with its zod helper (what LiteLLM passes
 * through as `response_format`), `json_object`, vLLM's own
 * `structured_outputs` / `guided_json` / `guided_choice`, and streams.
 */
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startVllmEmulator, type VllmEmulator } from '../src/index';

let emu: VllmEmulator;
let client: OpenAI;
beforeAll(async () => {
  emu = await startVllmEmulator({ model: 'm', reasoningParser: 'qwen3' });
  client = new OpenAI({ baseURL: `${emu.url}/v1`, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => emu.close());

const Step = z.object({ explanation: z.string(), answer: z.string() });
const MathAnswer = z.object({
  steps: z.array(Step).min(2),
  final_answer: z.string(),
  confidence: z.number().min(0).max(1),
  attempts: z.number().int().nullable(),
  kind: z.enum(['linear', 'quadratic']),
  check: Step,
  when: z.string().datetime(),
});
const messages = [{ role: 'user' as const, content: 'solve 8x + 31 = 2' }];

describe('response_format json_schema', () => {
  it('.parse() gets schema-valid JSON, the same for the same prompt', async () => {
    const request = {
      model: 'm',
      messages,
      response_format: zodResponseFormat(MathAnswer, 'math_answer'),
    };
    const first = await client.chat.completions.parse(request);
    const parsed = first.choices[0]!.message.parsed;
    expect(MathAnswer.parse(parsed)).toEqual(parsed);
    expect(parsed!.steps.length).toBeGreaterThanOrEqual(2);
    expect(first.choices[0]!.finish_reason).toBe('stop');
    // Reasoning still comes first, outside the JSON.
    expect(typeof (first.choices[0]!.message as { reasoning?: unknown }).reasoning).toBe('string');
    const again = await client.chat.completions.parse(request);
    expect(again.choices[0]!.message.content).toBe(first.choices[0]!.message.content);
    expect(first.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams the same JSON in pieces', async () => {
    const request = {
      model: 'm',
      messages,
      response_format: zodResponseFormat(MathAnswer, 'math_answer'),
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({ ...request, stream: true });
    let text = '';
    let pieces = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) {
        text += piece;
        pieces++;
      }
    }
    expect(pieces).toBeGreaterThan(5);
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(MathAnswer.parse(JSON.parse(text))).toBeTruthy();
  });

  it('max_tokens cuts the JSON mid-way with finish_reason "length", as vLLM does', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages,
      response_format: zodResponseFormat(MathAnswer, 'math_answer'),
      max_tokens: 20,
    });
    expect(res.choices[0]!.finish_reason).toBe('length');
    expect(() => JSON.parse(res.choices[0]!.message.content ?? '')).toThrow();
  });
});

describe('other constraints', () => {
  it('json_object answers a JSON object', async () => {
    const res = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'reply in JSON' }],
      response_format: { type: 'json_object' },
    });
    const value = JSON.parse(res.choices[0]!.message.content!);
    expect(typeof value).toBe('object');
    expect(Array.isArray(value)).toBe(false);
  });

  it("vLLM's structured_outputs.json and guided_json (schema or its text) on chat and completions", async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 1 } },
      required: ['city', 'population'],
    };
    const chat = await client.chat.completions.create({
      model: 'm',
      messages,
      // @ts-expect-error vLLM's own request field
      structured_outputs: { json: schema },
    });
    const city = JSON.parse(chat.choices[0]!.message.content!);
    expect(typeof city.city).toBe('string');
    expect(city.population).toBeGreaterThanOrEqual(1);
    const text = await client.completions.create({
      model: 'm',
      prompt: 'A city:',
      max_tokens: 200,
      // @ts-expect-error vLLM's own request field
      guided_json: JSON.stringify(schema),
    });
    expect(Object.keys(JSON.parse(text.choices[0]!.text)).sort()).toEqual(['city', 'population']);
  });

  it('guided_choice and structured_outputs.choice pick one of the choices', async () => {
    const choices = ['positive', 'negative', 'neutral'];
    for (const extra of [{ guided_choice: choices }, { structured_outputs: { choice: choices } }]) {
      const res = await client.chat.completions.create({
        model: 'm',
        messages: [{ role: 'user', content: 'classify: great movie' }],
        ...extra,
      });
      expect(choices).toContain(res.choices[0]!.message.content);
    }
  });

  it('an unknown response_format type is a 400 naming the field', async () => {
    const res = await fetch(`${emu.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages, response_format: { type: 'yaml' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string } };
    expect(body.error.param).toBe('body.response_format.type');
  });
});
