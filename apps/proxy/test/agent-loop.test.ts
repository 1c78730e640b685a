import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import { generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { auth, get, post } from './helpers';
import { type KeysStack, startKeysStack } from './keys-helpers';

const MASTER = 'sk-agent-master-1234';
let stack: KeysStack;
let base: string;

beforeAll(async () => {
  stack = await startKeysStack({ postgres: true, masterKey: MASTER });
  base = stack.proxy.url;
}, 120_000);
afterAll(() => stack?.close());

type Row = {
  call_type: string;
  status: string;
  prompt_tokens: number;
  completion_tokens: number;
  spend: number;
};

async function spendRows(key: string): Promise<Row[]> {
  await stack.proxy.keys!.spend!.flush();
  return (await get(base, `/spend/logs?api_key=${key}`, auth(MASTER))).body as Row[];
}

const readFile: Anthropic.Tool = {
  name: 'read_file',
  description: 'Read a file of the repository',
  input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

describe('coding agents through the proxy with a virtual key', () => {
  it('an Anthropic agent loop: three streamed tool turns, then the answer; a spend row for every turn', async () => {
    const made = await post(base, '/key/generate', { models: ['chat'] }, auth(MASTER));
    // Anthropic clients send the key as x-api-key.
    const client = new Anthropic({ apiKey: made.body.key, baseURL: base, maxRetries: 0 });
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Find the bug in src/.' }];
    const turns: string[] = [];
    for (let turn = 0; turn < 4; turn++) {
      const message = await client.messages
        .stream({
          model: 'chat',
          max_tokens: 64,
          tools: [readFile],
          // Three turns must call a tool; then the agent lets the model answer.
          tool_choice: turn < 3 ? { type: 'any' } : { type: 'auto' },
          messages,
        })
        .finalMessage();
      turns.push(message.stop_reason ?? 'null');
      messages.push({ role: 'assistant', content: message.content });
      const use = message.content.find(block => block.type === 'tool_use');
      if (use?.type !== 'tool_use') break;
      messages.push({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: use.id,
            content: `contents of ${String((use.input as { path: unknown }).path)}`,
          },
        ],
      });
    }
    expect(turns).toEqual(['tool_use', 'tool_use', 'tool_use', 'end_turn']);
    const rows = await spendRows(made.body.key);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({ call_type: 'anthropic_messages', status: 'success' });
      expect(row.prompt_tokens).toBeGreaterThan(0);
      expect(row.completion_tokens).toBeGreaterThan(0);
      expect(row.spend).toBeGreaterThan(0);
    }
    // The key may use only `chat`.
    const denied = await client.messages
      .create({ model: 'other', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch(e => e);
    expect(denied).toBeInstanceOf(Anthropic.APIError);
    expect(denied.error.type).toBe('error');
  });

  it('the Vercel AI SDK (Responses API by default): generateText and streamText with tools', async () => {
    const made = await post(base, '/key/generate', { models: ['chat'] }, auth(MASTER));
    const openai = createOpenAI({ apiKey: made.body.key, baseURL: `${base}/v1` });
    const lookups: string[] = [];
    const tools = {
      lookup: tool({
        description: 'Look a word up',
        inputSchema: z.object({ word: z.string() }),
        execute: async ({ word }) => {
          lookups.push(word);
          return `definition of ${word}`;
        },
      }),
    };
    const generated = await generateText({
      model: openai('chat'),
      prompt: 'Define a word.',
      tools,
      stopWhen: stepCountIs(3),
      maxOutputTokens: 64,
    });
    expect(lookups.length).toBeGreaterThan(0);
    expect(generated.steps.length).toBeGreaterThan(1);
    expect(generated.text.length).toBeGreaterThan(0);

    const streamed = streamText({
      model: openai('chat'),
      prompt: 'Define another word.',
      tools,
      stopWhen: stepCountIs(3),
      maxOutputTokens: 64,
    });
    let text = '';
    for await (const part of streamed.textStream) text += part;
    expect((await streamed.steps).length).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
    expect(lookups.length).toBeGreaterThan(1);
    const rows = await spendRows(made.body.key);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.every(row => row.call_type === 'aresponses' && row.status === 'success')).toBe(
      true,
    );
  });
});
